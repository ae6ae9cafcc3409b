// bench/stall: does this machine freeze while it flushes its disk?
//
//   stall SECONDS            every core busy (one spinning thread pinned to each)
//   stall SECONDS FILE       the same, plus a thread on core 0 appending 512 bytes to FILE
//                            and fdatasync'ing it, over and over (FILE is removed after)
//
// The spinner on the last core reads the clock in a loop; any gap over 1 ms is time the
// thread did not run although it never blocked: taken by the kernel or by the hypervisor.
// bench/ingest runs both forms and prints the difference. On the 2-core VM this was written
// on, a busy VM that flushes loses 8-14% of its time in 10-20 ms gaps every 100 ms (a CPU quota
// period), and the same VM busy without flushing loses nothing: every request in flight
// during such a gap waits for it, so p99 cannot be below the gap whatever the server does.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static atomic_int stop;
static atomic_long syncs;
static const char *path;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void pin(long core) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((int)core, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *spin(void *core) {
    pin((long)core);
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {}
    return NULL;
}

static void *flush(void *unused) {
    (void)unused;
    pin(0);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) { perror(path); exit(2); }
    char line[512] = {0};
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        if (write(fd, line, sizeof line) != sizeof line || fdatasync(fd) != 0) { perror(path); exit(2); }
        atomic_fetch_add(&syncs, 1);
    }
    close(fd);
    unlink(path);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2 || atof(argv[1]) <= 0) {
        fprintf(stderr, "usage: stall SECONDS [FILE]\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    path = argc > 2 ? argv[2] : NULL;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 2) {
        fprintf(stderr, "stall: needs 2 cores or more\n");
        return 2;
    }
    pthread_t threads[cores + 1];
    int started = 0;
    for (long core = 0; core < cores - 1; core++) pthread_create(&threads[started++], NULL, spin, (void *)core);
    if (path) pthread_create(&threads[started++], NULL, flush, NULL);

    pin(cores - 1);
    double start = now_ms(), last = start, end = start + seconds * 1e3, lost = 0, longest = 0;
    int gaps = 0;
    for (double t = start; t < end; t = now_ms()) {
        double gap = t - last;
        if (gap > 1.0) {
            gaps++;
            lost += gap;
            if (gap > longest) longest = gap;
        }
        last = t;
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
    // One line, key=value, for bench/ingest to read.
    printf("gaps=%d lost_pct=%.1f max_gap_ms=%.1f syncs_per_s=%.0f\n", gaps, lost / (seconds * 10), longest,
           atomic_load(&syncs) / seconds);
    return 0;
}
