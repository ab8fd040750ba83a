# Scaling curve of the hot-book checkout: ours vs PostgreSQL's row locks.
# gnuplot -e "datafile='bench/scaling.dat'; outfile='bench/scaling.png'" bench/scaling.gp
# Columns of the data file (written by bench/report.py): clients,
# ours checkouts/s, ours p99 ms, PostgreSQL checkouts/s, PostgreSQL p99 ms;
# "?" marks a point that was not measured.
if (!exists("datafile")) datafile = 'bench/scaling.dat'
if (!exists("outfile")) outfile = 'bench/scaling.png'
set terminal pngcairo size 1100,450 noenhanced font ",10"
set output outfile
set datafile missing "?"
set logscale x 2
set xlabel "concurrent clients (closed loop)"
set grid
set key top left
set multiplot layout 1,2 title "Flash sale on one book, payment 0 ms (load generator on the same machine)"
set logscale y
set ylabel "checkouts/s (median)"
plot datafile using 1:2 with linespoints lw 2 pt 7 title "ours (HTTP, actors + SQLite)", \
     datafile using 1:4 with linespoints lw 2 pt 5 title "PostgreSQL SELECT FOR UPDATE (pgbench)"
set ylabel "p99 latency, ms (median)"
plot datafile using 1:3 with linespoints lw 2 pt 7 title "ours", \
     datafile using 1:5 with linespoints lw 2 pt 5 title "PostgreSQL"
unset multiplot
