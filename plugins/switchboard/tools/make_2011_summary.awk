# make_2011_summary.awk - writes data/2011/switchboard_summary.csv, the
# synthetic switchboard summary for January-August 2011 that reproduces the
# figures of Tertialrapport 2 2011.  Run: awk -f make_2011_summary.awk
# (no input).  The method is described in plugins/switchboard/README.md.

# Split `total` over n parts in proportion to wt[1..n] by largest
# remainder: the parts are whole numbers that add up to total exactly.
# Ties go to the lower index.  Result in out[1..n].
function apportion(total, wt, n, out,    i, j, W, given, rem, best) {
	W = 0
	for (i = 1; i <= n; i++)
		W += wt[i]
	given = 0
	for (i = 1; i <= n; i++) {
		out[i] = int(total * wt[i] / W)
		rem[i] = total * wt[i] / W - out[i]
		given += out[i]
	}
	for (j = given; j < total; j++) {
		best = 0
		for (i = 1; i <= n; i++)
			if (best == 0 || rem[i] > rem[best])
				best = i
		out[best]++
		rem[best] = -1
	}
}

BEGIN {
	# Tertial totals.  answered: 1 290 191 split 18:17 between Jan-Apr and
	# May-Aug; within 25 s: 76,8 % and 80,3 % of each, 78,5 % of both.
	A[1] = 663527; A[2] = 626664
	S[1] = 509589; S[2] = 503211
	n = split("170 160 178 155 165 158 130 173", vol, " ")  # calls/month
	split("75.2 76.1 77.4 78.6 79.1 80.2 81.6 80.6", sl, " ")  # % in 25 s
	split("92.2 92.6 93.1 92.9 92.7 93.0 93.4 92.7", sh, " ")  # % answered
	split("36 37 38 37 36 35 34 36", talk, " ")              # s per call
	nq = split("Växel stad,Växel bolag,Växel engelska", queue, ",")
	split("74 20 6", qvol, " ")         # share of the calls, %
	split("0 1.5 -4", qsl, " ")         # service level offset, points
	split("0 0.6 -1.8", qsh, " ")       # answered share offset, points
	split("0 5 22", qtalk, " ")         # talk time offset, s

	for (t = 1; t <= 2; t++) {
		for (i = 1; i <= 4; i++)
			w[i] = vol[4 * (t - 1) + i]
		apportion(A[t], w, 4, part)
		for (i = 1; i <= 4; i++) {
			m = 4 * (t - 1) + i
			ans[m] = part[i]
			w[i] = ans[m] * sl[m]
		}
		apportion(S[t], w, 4, part)
		for (i = 1; i <= 4; i++)
			insl[4 * (t - 1) + i] = part[i]
	}

	print "date,queue,offered,answered,answered_in_sl,talk_s"
	for (m = 1; m <= n; m++) {
		off = int(ans[m] * 100 / sh[m] + 0.5)
		apportion(ans[m], qvol, nq, qa)
		for (q = 1; q <= nq; q++) {
			w[q] = qa[q] * (sl[m] + qsl[q])
			w2[q] = qa[q] / (sh[m] + qsh[q])
		}
		apportion(insl[m], w, nq, qs)
		apportion(off, w2, nq, qo)
		for (q = 1; q <= nq; q++)
			printf "2011-%02d,%s,%d,%d,%d,%d\n", m, queue[q], qo[q],
			       qa[q], qs[q], qa[q] * (talk[m] + qtalk[q])
	}
}
