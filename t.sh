trap 'echo trap; exit 130' INT
f() { wrk -t1 -c1 -d5s http://127.0.0.1:23458/ > /dev/null 2>&1 || echo "wrk rc=$?"; echo "wrk done rc=$?"; }
f
echo continued
