# make_2011_summary.awk - writes data/2011/contact_summary.csv, the
# synthetic contact-centre summary for January-July 2011 that reproduces
# the figures of Tertialrapport 2 2011.  Run: awk -f make_2011_summary.awk
# (no input).  The method is described in plugins/contact_centre/README.md.

# Split `total` over n parts in proportion to wt[1..n] by largest
# remainder: whole numbers that add up to total exactly.  Ties go to the
# lower index.  Result in out[1..n].
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

# Store the space-separated numbers of s as arr[key, 1..n]; returns n.
function load(s, key, arr,    t, k, i) {
	k = split(s, t, " ")
	for (i = 1; i <= k; i++)
		arr[key, i] = t[i]
	return k
}

BEGIN {
	# Cases to 31 July: phone 174 200, e-mail 13 500, visits 1 834 ("drygt
	# 1 830").  Resolved at first contact: 88,0 % of all 189 534 cases
	# (166 790).  Phone calls answered within 60 s: 69,0 % (120 198).
	split("phone email visit", chan, " ")
	total["phone"] = 174200; total["email"] = 13500; total["visit"] = 1834
	RESOLVED = 166790; WITHIN = 120198
	# Month profile per channel.
	nm = load("265 250 275 240 255 240 217", "phone", mw)
	load("19 18 20 19 20 19 20", "email", mw)
	load("27 25 28 26 27 25 26", "visit", mw)
	# Categories per channel (visits are all "other").
	ncat = split("elderly_care preschool other", cat, " ")
	load("38 27 35", "phone", cw)
	load("30 35 35", "email", cw)
	load("0 0 1", "visit", cw)
	# Districts and their share of the cases.
	nd = split("Rinkeby-Kista,Hässelby-Vällingby,Bromma,Södermalm," \
	           "Älvsjö,Östermalm", dist, ",")
	split("160 181 170 238 83 152", dw, " ")
	# Resolution rate by channel and category, %, plus a district offset.
	load("91 93 84", "phone", rr)
	load("78 80 76", "email", rr)
	load("0 0 90", "visit", rr)
	split("-2 0 1 0 1 0.5", rd, " ")
	# Phone answered within 60 s by month, %, plus a category offset.
	split("66 67 68 70 71 72 69", aw, " ")
	split("4 0 -1", acw, " ")

	# The rows: month, channel, category, district, with their cases.
	n = 0
	for (c = 1; c <= 3; c++) {
		ch = chan[c]
		for (m = 1; m <= nm; m++)
			w[m] = mw[ch, m]
		apportion(total[ch], w, nm, monthly)
		for (m = 1; m <= nm; m++) {
			k = 0
			for (g = 1; g <= ncat; g++)
				for (d = 1; d <= nd; d++)
					w[++k] = cw[ch, g] * dw[d]
			apportion(monthly[m], w, k, part)
			k = 0
			for (g = 1; g <= ncat; g++)
				for (d = 1; d <= nd; d++) {
					k++
					if (cw[ch, g] == 0)
						continue
					n++
					r_m[n] = m; r_c[n] = ch; r_g[n] = g
					r_d[n] = d; r_n[n] = part[k]
				}
		}
	}
	# Resolved and answered-in-60-s counts, apportioned over the rows.
	for (i = 1; i <= n; i++)
		w[i] = r_n[i] * (rr[r_c[i], r_g[i]] + rd[r_d[i]])
	apportion(RESOLVED, w, n, res)
	for (i = 1; i <= n; i++)
		w[i] = r_c[i] == "phone" ? r_n[i] * (aw[r_m[i]] + acw[r_g[i]]) : 0
	apportion(WITHIN, w, n, ans)

	# Sorted by month, then channel, category and district.
	print "date,channel,category,district,cases,resolved_first_contact," \
	      "answered_60s"
	for (m = 1; m <= nm; m++)
		for (i = 1; i <= n; i++) {
			if (r_m[i] != m)
				continue
			printf "2011-%02d,%s,%s,%s,%d,%d,%s\n", m, r_c[i],
			       cat[r_g[i]], dist[r_d[i]], r_n[i], res[i],
			       r_c[i] == "phone" ? ans[i] : ""
		}
}
