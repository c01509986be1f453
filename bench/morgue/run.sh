#!/usr/bin/env bash
# bench/morgue/run.sh: debrief against a re-creation of Etsy Morgue's search
# path (bench/morgue/search.php, PHP + MariaDB; not Morgue itself, whose code
# is not in Debian), on the same data: a Morgue database dump. Issue 21's
# target: an uncached search at least 20x Morgue's.
#
# Run by hand, never by `make test`. It installs what is missing from Debian
# (mariadb-server-core, mariadb-client, php-cli, php-fpm, php-mysql,
# php-opcache; wrk and nginx), starts a throwaway MariaDB on 127.0.0.1 and
# a free port in a temporary directory (as the mysql user, or nobody, when
# run as root), loads the dump into it, serves search.php with php-fpm
# behind nginx (opcache on), imports the same dump into a new debrief
# database (`debrief import morgue`) and serves it with a 1 MB page cache.
# Then, with wrk, one row after the other: a search for a word of the
# data, a different word each request
# (the words of the post-mortems' titles and summaries, in a fixed shuffled
# order, each thread from its own place): Morgue's search page, debrief's
# search page, its API search and the index searched (`/?q=`, which debrief
# caches: the cycle of words is longer than a 1 MB cache holds); then one
# post-mortem's page, the same one on both (debrief serves it from its
# cache). For each row: req/s, p50, p99, the servers' CPU a request (nginx,
# php-fpm and MariaDB for Morgue, debrief's process) and, for debrief, the
# cache hits and misses during the row; the ratios debrief/Morgue in req/s
# and in CPU a request, against the 20x target.
#
# Environment (all optional):
#   MORGUE_DUMP=FILE       the dump (default ../shared/data/morgue/morgue-240.sql
#                          or ../../shared/... from the repository, when it exists)
#   MORGUE_COPIES=1        load each post-mortem this many times (new ids) in
#                          both, e.g. 42 for about 10,000 from 240: MariaDB
#                          copies the rows, its dump is what debrief imports
#   MORGUE_DURATION=10s    wrk -d for each row
#   MORGUE_CONNECTIONS=16  wrk -c
#   MORGUE_THREADS=2       wrk -t
#   MORGUE_PHP_WORKERS=N   php-fpm's processes (default: 2 x nproc)
#   BUILD=build            make's build directory
#   MORGUE_DEBRIEF=...     the debrief binary (default BUILD/debrief)
#   TMPDIR                 where the temporary directory goes (/tmp)
#   MORGUE_KEEP=1          leave it there at the end (the servers stop)
# Results: bench/out/morgue-N.txt (N post-mortems), wrk's output next to it.
# Exit status 0 when the search target is met (in req/s and in CPU), 3
# when not, 1 on errors.
set -euo pipefail
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
. bench/lib.sh
DURATION=${MORGUE_DURATION:-10s}
CONNS=${MORGUE_CONNECTIONS:-16}
THREADS=${MORGUE_THREADS:-2}
COPIES=${MORGUE_COPIES:-1}
WORKERS=${MORGUE_PHP_WORKERS:-$(($(nproc) * 2))}
DEBRIEF=${MORGUE_DEBRIEF:-./$BUILD/debrief}
OUT=bench/out
TARGET=20

die() {
	echo "morgue: $*" >&2
	exit 1
}

dump=${MORGUE_DUMP:-}
if [ -z "$dump" ]; then
	for d in ../shared/data/morgue/morgue-240.sql \
		../../shared/data/morgue/morgue-240.sql; do
		if [ -f "$d" ]; then
			dump=$d
			break
		fi
	done
fi
[ -n "$dump" ] ||
	die "no Morgue dump: give one as MORGUE_DUMP=FILE (mysqldump of Morgue's database; none at ../shared/data/morgue/morgue-240.sql)"
[ -r "$dump" ] || die "cannot read the dump $dump"
dump=$(realpath "$dump")
dump_name=$(basename "$dump")
case $COPIES in '' | *[!0-9]* | 0) die "MORGUE_COPIES must be a number >= 1" ;; esac

# What is missing, from Debian's packages.
pkgs=()
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || pkgs+=(mariadb-server-core)
command -v mariadb-dump >/dev/null || pkgs+=(mariadb-client)
command -v php >/dev/null || pkgs+=(php-cli)
ls /usr/sbin/php-fpm* >/dev/null 2>&1 || pkgs+=(php-fpm)
if ! command -v php >/dev/null ||
	! php -r 'exit(extension_loaded("pdo_mysql") ? 0 : 1);' 2>/dev/null; then
	pkgs+=(php-mysql)
fi
if ! command -v php >/dev/null ||
	! php -d opcache.enable_cli=1 -r 'exit(function_exists("opcache_get_status") ? 0 : 1);' 2>/dev/null; then
	pkgs+=(php-opcache)
fi
if [ ${#pkgs[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "missing: ${pkgs[*]} (apt-get install them as root)"
	echo "morgue: installing ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null; } ||
		die "apt-get could not install ${pkgs[*]}"
fi
if ! command -v wrk >/dev/null || ! { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then
	sh scripts/install-deps.sh --bench </dev/null
fi
PATH=$PATH:/usr/sbin
command -v mariadbd >/dev/null || die "mariadbd is missing"
fpm=$(find /usr/sbin -maxdepth 1 -name 'php-fpm*' | sort -V | tail -1)
[ -n "$fpm" ] || die "php-fpm is missing"

if [ -z "${MORGUE_DEBRIEF:-}" ]; then
	make -s BUILD="$BUILD" "$BUILD/debrief" >/dev/null
fi
[ -x "$DEBRIEF" ] || die "no debrief binary at $DEBRIEF"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/debrief-morgue.XXXXXX")
chmod 755 "$tmp"
db_pid="" fpm_pid="" nginx_pid="" debrief_pid=""
sock=$tmp/mysql/mysqld.sock
# as root, MariaDB runs as mysql (or nobody), like tests/pg/cluster.sh
# runs PostgreSQL as postgres
dbuser=$(id -un)
if [ "$(id -u)" = 0 ]; then
	dbuser=nobody
	id mysql >/dev/null 2>&1 && dbuser=mysql
fi
as_db() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$dbuser" -- "$@"
	else
		"$@"
	fi
}
sql() {
	mariadb --no-defaults -uroot --socket="$sock" "$@"
}
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	local rc=$?
	set +e
	[ -n "$debrief_pid" ] && kill "$debrief_pid" 2>/dev/null && wait "$debrief_pid" 2>/dev/null
	[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
	[ -n "$fpm_pid" ] && kill "$fpm_pid" 2>/dev/null && wait "$fpm_pid" 2>/dev/null
	if [ -n "$db_pid" ]; then
		mariadb-admin --no-defaults -uroot --socket="$sock" shutdown >/dev/null 2>&1 ||
			kill "$(cat "$tmp/mysql/mysqld.pid" 2>/dev/null)" 2>/dev/null
		wait "$db_pid" 2>/dev/null
	fi
	if [ "${MORGUE_KEEP:-0}" = 1 ]; then
		echo "morgue: kept $tmp (MariaDB's data, debrief.db, the dump imported)" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# MariaDB: a new data directory, 127.0.0.1 and a socket in it.
mkdir -p "$tmp/mysql"
[ "$(id -u)" = 0 ] && chown "$dbuser" "$tmp/mysql"
as_db test -w "$tmp/mysql" ||
	die "$dbuser cannot write $tmp/mysql; check the modes of the directories above it"
as_db mariadb-install-db --no-defaults --datadir="$tmp/mysql/data" \
	--tmpdir="$tmp/mysql" \
	--auth-root-authentication-method=normal --skip-test-db \
	>"$tmp/mysql/install.log" 2>&1 ||
	{ cat "$tmp/mysql/install.log" >&2; die "mariadb-install-db failed"; }
db_port=$(free_port)
as_db mariadbd --no-defaults --datadir="$tmp/mysql/data" --tmpdir="$tmp/mysql" \
	--socket="$sock" \
	--pid-file="$tmp/mysql/mysqld.pid" --log-error="$tmp/mysql/error.log" \
	--bind-address=127.0.0.1 --port="$db_port" --skip-name-resolve \
	--skip-log-bin --innodb-flush-log-at-trx-commit=2 &
db_pid=$!
for _ in $(seq 300); do
	mariadb-admin --no-defaults -uroot --socket="$sock" ping >/dev/null 2>&1 && break
	kill -0 "$db_pid" 2>/dev/null || break
	sleep 0.1
done
mariadb-admin --no-defaults -uroot --socket="$sock" ping >/dev/null 2>&1 ||
	{ cat "$tmp/mysql/error.log" >&2; die "MariaDB did not start"; }
mariadbd_pid=$(cat "$tmp/mysql/mysqld.pid")

sql <<'EOF'
CREATE DATABASE morgue CHARACTER SET utf8mb4;
CREATE USER 'morgue'@'localhost' IDENTIFIED BY 'morgue_password';
GRANT ALL ON morgue.* TO 'morgue'@'localhost';
EOF
echo "morgue: loading $dump into MariaDB (127.0.0.1:$db_port)"
sql morgue <"$dump" || die "MariaDB refused the dump"

# MORGUE_COPIES: each post-mortem and its rows again under new ids; the
# tags are shared.
if [ "$COPIES" -gt 1 ]; then
	echo "morgue: copying each post-mortem $((COPIES - 1)) times"
	{
		echo "SET @m = (SELECT MAX(id) FROM postmortems);"
		echo "CREATE TEMPORARY TABLE x AS SELECT p.*, s.seq AS k FROM postmortems p JOIN seq_1_to_$((COPIES - 1)) s;"
		echo "UPDATE x SET id = id + k * @m; ALTER TABLE x DROP COLUMN k;"
		echo "INSERT INTO postmortems SELECT * FROM x; DROP TEMPORARY TABLE x;"
		for t in forum_links images irc jira slack postmortem_history postmortem_referenced_tags; do
			if [ "$t" = postmortem_referenced_tags ]; then
				echo "SET @t = 0;"
			else
				echo "SET @t = (SELECT COALESCE(MAX(id), 0) FROM $t);"
			fi
			echo "CREATE TEMPORARY TABLE x AS SELECT c.*, s.seq AS k FROM $t c JOIN seq_1_to_$((COPIES - 1)) s;"
			if [ "$t" = postmortem_referenced_tags ]; then
				echo "UPDATE x SET postmortem_id = postmortem_id + k * @m;"
			else
				echo "UPDATE x SET id = id + k * @t, postmortem_id = postmortem_id + k * @m;"
			fi
			echo "ALTER TABLE x DROP COLUMN k; INSERT INTO $t SELECT * FROM x; DROP TEMPORARY TABLE x;"
		done
	} | sql morgue || die "copying the post-mortems failed"
	mariadb-dump --no-defaults -uroot --socket="$sock" morgue >"$tmp/morgue.sql" ||
		die "mariadb-dump failed"
	dump=$tmp/morgue.sql
fi
n=$(sql -N morgue -e 'SELECT COUNT(*) FROM postmortems')

# The words: those of the titles and summaries, 4 letters or more, in a
# fixed shuffled order. ASCII words only, so that MariaDB's [[:<:]] and
# PHP's \b see the same word boundaries.
# shellcheck disable=SC2018
sql -N --raw morgue -e 'SELECT title, summary FROM postmortems' |
	tr '[:upper:]' '[:lower:]' | tr -cs 'a-z' '\n' | awk 'length($0) >= 4' | sort -u |
	shuf --random-source=<(yes) >"$tmp/words.txt"
nwords=$(wc -l <"$tmp/words.txt")
[ "$nwords" -gt 0 ] || die "no words in the dump's post-mortems"
# the post-mortem of the page rows: the one with the median summary
pm=$(sql -N morgue -e "SELECT id FROM postmortems ORDER BY LENGTH(summary), id LIMIT 1 OFFSET $((n / 2))")

# The re-creation of Morgue's search: nginx in front of php-fpm (a pool
# of MORGUE_PHP_WORKERS processes, opcache on, as Debian's php-fpm has it),
# as Morgue is deployed behind a web server (Apache with mod_php in its
# README); both keep the client's connection alive.
mkdir -p "$tmp/php" "$tmp/nginx"
cp bench/morgue/search.php "$tmp/php/search.php"
fpm_user=""
if [ "$(id -u)" = 0 ]; then
	fpm_user="user = nobody
group = $(id -gn nobody)"
fi
cat >"$tmp/php/fpm.conf" <<EOF
[global]
pid = $tmp/php/fpm.pid
error_log = $tmp/php/error.log
daemonize = no
[morgue]
$fpm_user
listen = $tmp/php/fpm.sock
listen.mode = 0666
pm = static
pm.max_children = $WORKERS
clear_env = no
catch_workers_output = yes
php_admin_value[opcache.enable] = 1
EOF
MORGUE_DSN="mysql:unix_socket=$sock;dbname=morgue;charset=utf8mb4" \
	MORGUE_USER=morgue MORGUE_PASSWORD=morgue_password \
	"$fpm" --nodaemonize --fpm-config "$tmp/php/fpm.conf" >"$tmp/php/fpm.log" 2>&1 &
fpm_pid=$!
php_port=$(free_port)
mbase="http://127.0.0.1:$php_port"
cat >"$tmp/nginx.conf" <<EOF
worker_processes $(nproc);
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
	access_log off; tcp_nodelay on;
	keepalive_timeout 65; keepalive_requests 1000000;
	client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi; uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	server {
		listen 127.0.0.1:$php_port;
		location / {
			fastcgi_pass unix:$tmp/php/fpm.sock;
			fastcgi_param SCRIPT_FILENAME $tmp/php/search.php;
			fastcgi_param QUERY_STRING \$query_string;
			fastcgi_param REQUEST_METHOD \$request_method;
			fastcgi_param REQUEST_URI \$request_uri;
			fastcgi_param SERVER_PROTOCOL \$server_protocol;
			fastcgi_param REMOTE_ADDR \$remote_addr;
			fastcgi_param SERVER_NAME \$server_name;
			fastcgi_param SERVER_PORT \$server_port;
		}
	}
}
EOF
nginx -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx.conf" &
nginx_pid=$!
wait_http "$mbase/ping" || {
	cat "$tmp/php/fpm.log" "$tmp/php/error.log" "$tmp/nginx/error.log" >&2
	die "nginx and php-fpm did not start"
}
curl -fsS -o /dev/null "$mbase/events/$pm" || die "the Morgue page of post-mortem $pm failed"

# debrief on the same dump.
echo "morgue: importing $n post-mortems into debrief"
"$DEBRIEF" import morgue "$dump" --db "$tmp/debrief.db" >"$tmp/import.log" 2>&1 ||
	{ tail -20 "$tmp/import.log" >&2; die "debrief import morgue failed"; }
echo "cache_bytes = 1M" >"$tmp/debrief.conf"
dport=$(free_port)
dbase="http://127.0.0.1:$dport"
"$DEBRIEF" serve --db "$tmp/debrief.db" --listen "127.0.0.1:$dport" \
	--config "$tmp/debrief.conf" >"$tmp/debrief.log" 2>&1 &
debrief_pid=$!
wait_http "$dbase/api/v1/health" ||
	{ cat "$tmp/debrief.log" >&2; die "debrief did not start"; }
rid=$(sqlite3 "$tmp/debrief.db" "SELECT review_id FROM import_sources WHERE source = 'morgue:$pm'")
[ -n "$rid" ] || die "post-mortem $pm has no review in debrief"
curl -fsS -o /dev/null "$dbase/reviews/$rid" || die "debrief's page of review $rid failed"

# wrk: %w in the path is the next word of the list (each thread starts at
# its own place in it).
cat >"$tmp/words.lua" <<'EOF'
local words = {}
for w in io.lines(os.getenv("MORGUE_WORDS")) do words[#words + 1] = w end
local pattern = os.getenv("MORGUE_PATH")
local threads = 0
function setup(thread)
	threads = threads + 1
	thread:set("first", threads * 7919)
end
local i = 0
function init(args)
	i = first or 0
end
request = function()
	i = i + 1
	local p = pattern:gsub("%%w", words[i % #words + 1])
	return wrk.format("GET", p)
end
EOF

to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
		printf "%.2f", n
	}'
}

# cpu PID...: user+system clock ticks of the processes and their
# descendants (nginx's and php-fpm's workers), from /proc
cpu() {
	# (a process may end while cat reads: not an error)
	{ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v roots="$*" '
		{
			# the fields after the command, which may hold spaces
			s = $0; sub(/^.*\) /, "", s); split(s, f, " ")
			pid = $1 + 0; parent[pid] = f[2] + 0; ticks[pid] = f[12] + f[13]
		}
		END {
			n = split(roots, r, " ")
			for (i = 1; i <= n; i++) want[r[i] + 0] = 1
			for (p in ticks) {
				for (q = p + 0; q > 1; q = parent[q])
					if (q in want) { t += ticks[p]; break }
			}
			print t + 0
		}'
}

cache_count() {
	curl -fsS "$dbase/metrics" | awk -v m="$1" '$1 == m { print $2 + 0; f = 1 } END { if (!f) print 0 }'
}

mkdir -p "$OUT"
out=$OUT/morgue-$n.txt
hz=$(getconf CLK_TCK)
{
	echo "debrief against a re-creation of Morgue's search (bench/morgue/search.php; PHP $(php -r 'echo PHP_VERSION;'), $(mariadbd --version | sed -n 's/.*Ver \([^ ]*\).*/MariaDB \1/p'))"
	echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $n post-mortems ($dump_name x $COPIES), commit $(git rev-parse --short HEAD)"
	echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency; $nwords words of the data, a different one each request; page: post-mortem $pm (review $rid)"
	w=$(head -1 "$tmp/words.txt")
	echo "bytes for q=$w: Morgue $(curl -fsS "$mbase/search?q=$w" | wc -c), debrief search page $(curl -fsS "$dbase/search?q=$w" | wc -c), API search $(curl -fsS "$dbase/api/v1/search?q=$w" | wc -c); post-mortem page: Morgue $(curl -fsS "$mbase/events/$pm" | wc -c), debrief $(curl -fsS "$dbase/reviews/$rid" | wc -c)"
	echo
	printf '%-28s | %8s %8s %8s | %9s | %s\n' "request" "req/s" "p50 ms" "p99 ms" "CPU ms/r" "notes"
} | tee "$out"

# row NAME BASE PATH PIDS...: one wrk run; prints its line and leaves
# "rps cpu_ms_a_request" in $tmp/last
row() {
	local name=$1 base=$2 path=$3 f rps p50 p99 errs c0 c1 reqs h0 m0 h1 m1 note="" cpr
	local g0=() g1=() p
	shift 3
	f=$OUT/morgue-$n-wrk-${name//[^a-zA-Z0-9]/-}.txt
	if [ "$base" = "$dbase" ]; then
		h0=$(cache_count debrief_cache_hits_total)
		m0=$(cache_count debrief_cache_misses_total)
	fi
	for p in "$@"; do g0+=("$(cpu "$p")"); done
	MORGUE_WORDS=$tmp/words.txt MORGUE_PATH=$path wrk -t"$THREADS" -c"$CONNS" \
		-d"$DURATION" --latency --timeout 10s -s "$tmp/words.lua" "$base" \
		>"$f" 2>&1 || die "wrk failed on $path: $(cat "$f")"
	for p in "$@"; do g1+=("$(cpu "$p")"); done
	c0=$(IFS=+; echo $(("${g0[*]}")))
	c1=$(IFS=+; echo $(("${g1[*]}")))
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
	p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")
	errs=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { n += $6 + $8 + $10 } END { print n + 0 }' "$f")
	reqs=$(awk '/requests in/ { print $1 }' "$f")
	cpr=$(awk -v a="$c0" -v b="$c1" -v n="$reqs" -v hz="$hz" 'BEGIN { printf "%.3f", (n > 0 ? 1000 * (b - a) / hz / n : 0) }')
	if [ "$base" = "$dbase" ]; then
		h1=$(cache_count debrief_cache_hits_total)
		m1=$(cache_count debrief_cache_misses_total)
		note="cache: $((h1 - h0)) hits, $((m1 - m0)) misses"
	else
		# Morgue's CPU by server: nginx, php-fpm, MariaDB
		note=$(awk -v a="${g0[*]}" -v b="${g1[*]}" -v n="$reqs" -v hz="$hz" 'BEGIN {
			split(a, x, " "); split(b, y, " ")
			printf "nginx %.3f + php-fpm %.3f + MariaDB %.3f", 1000 * (y[1] - x[1]) / hz / n,
				1000 * (y[2] - x[2]) / hz / n, 1000 * (y[3] - x[3]) / hz / n }')
	fi
	[ "$errs" = 0 ] || note="$note; $errs errors"
	printf '%-28s | %8.0f %8s %8s | %9s | %s\n' "$name" "$rps" "$p50" "$p99" "$cpr" "$note" | tee -a "$out"
	echo "$rps $cpr" >"$tmp/last"
}

# ratio MORGUE_RPS MORGUE_CPU [TARGET]: the last row against Morgue's
ratio() {
	local rps cpr
	read -r rps cpr <"$tmp/last"
	awk -v a="$rps" -v b="$1" -v ca="$cpr" -v cb="$2" -v t="${3:-0}" 'BEGIN {
		r = b > 0 ? a / b : 0; c = ca > 0 ? cb / ca : 0
		printf "%-28s   debrief/Morgue: %.1fx in req/s, %.1fx in CPU a request%s\n", "", r, c,
			t ? sprintf(" (target %dx: %s)", t, (r >= t && c >= t) ? "met" : "missed") : ""
	}' | tee -a "$out"
}

row "Morgue: search page" "$mbase" "/search?q=%w" "$nginx_pid" "$fpm_pid" "$mariadbd_pid"
read -r m_rps m_cpu <"$tmp/last"
row "debrief: search page" "$dbase" "/search?q=%w" "$debrief_pid"
read -r s_rps s_cpu <"$tmp/last"
ratio "$m_rps" "$m_cpu" "$TARGET"
row "debrief: API search" "$dbase" "/api/v1/search?q=%w" "$debrief_pid"
ratio "$m_rps" "$m_cpu" "$TARGET"
row "debrief: index searched" "$dbase" "/?q=%w" "$debrief_pid"
ratio "$m_rps" "$m_cpu"
row "Morgue: post-mortem page" "$mbase" "/events/$pm" "$nginx_pid" "$fpm_pid" "$mariadbd_pid"
read -r mp_rps mp_cpu <"$tmp/last"
row "debrief: review page" "$dbase" "/reviews/$rid" "$debrief_pid"
ratio "$mp_rps" "$mp_cpu"

echo "morgue: results in $out"
met=$(awk -v a="$s_rps" -v b="$m_rps" -v ca="$s_cpu" -v cb="$m_cpu" -v t="$TARGET" \
	'BEGIN { print (b > 0 && a / b >= t && ca > 0 && cb / ca >= t) ? 1 : 0 }')
[ "$met" = 1 ] || exit 3
