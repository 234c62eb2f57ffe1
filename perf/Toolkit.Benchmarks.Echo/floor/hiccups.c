// How often, and for how long, the machine takes a core away from a thread that never gives it up: one thread per core
// reads the clock in a loop and counts every gap between two readings of 10 µs and more, by size. The threads make no
// system call, so each such gap is the machine's: a timer interrupt, the hypervisor, another thread. The local timer
// interrupts of the same interval are read from /proc/interrupts (the LOC line) beside it.
//
// In echo-64 `lat` with spinning readers, one core works on the call in flight while the other waits for its part,
// and a gap on either delays the call: on the waiting core too, since the data comes within the gap when the gap is
// longer than the call. So the gaps longer than a call, per second and summed over the cores, over the calls per
// second, is about the share of calls slowed by that much; a p99 under twice the p50 needs it below 1%.
//
//   gcc -O2 -pthread -o /tmp/hiccups perf/Toolkit.Benchmarks.Echo/floor/hiccups.c
//   /tmp/hiccups 3          # seconds; one thread per online core
//
// Prints one line: HICCUPS cores=… seconds=… timer_irqs_per_core_s=… then, per size band, gaps per second per core
// with their mean in µs, and stolen_share, the share of the threads' time lost in gaps of 10 µs and more.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BANDS 5

static const long band_floor_ns[BANDS] = {10000, 20000, 40000, 80000, 160000};
static const char *band_name[BANDS] = {"10-20us", "20-40us", "40-80us", "80-160us", "160us+"};

struct counts
{
    long gaps[BANDS];
    long gap_ns[BANDS];
};

static double seconds;

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *spin(void *state)
{
    struct counts *counts = state;
    long start = now_ns();
    long end = start + (long)(seconds * 1e9);
    for (long last = start, now = start; now < end; last = now)
    {
        now = now_ns();
        long gap = now - last;
        for (int band = BANDS - 1; band >= 0; band--)
        {
            if (gap >= band_floor_ns[band])
            {
                counts->gaps[band]++;
                counts->gap_ns[band] += gap;
                break;
            }
        }
    }

    return NULL;
}

// The sum over all cores of the local timer interrupts so far; -1 when /proc/interrupts has no LOC line.
static long timer_interrupts(void)
{
    FILE *file = fopen("/proc/interrupts", "r");
    if (file == NULL)
    {
        return -1;
    }

    char line[4096];
    long total = -1;
    while (fgets(line, sizeof line, file) != NULL)
    {
        char *cursor = line;
        while (*cursor == ' ')
        {
            cursor++;
        }

        if (strncmp(cursor, "LOC:", 4) != 0)
        {
            continue;
        }

        total = 0;
        cursor += 4;
        for (char *next;; cursor = next)
        {
            long count = strtol(cursor, &next, 10);
            if (next == cursor)
            {
                break;
            }

            total += count;
        }
    }

    fclose(file);
    return total;
}

int main(int argc, char **argv)
{
    seconds = argc > 1 ? atof(argv[1]) : 3;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (!(seconds > 0) || cores < 1 || cores > 256)
    {
        fprintf(stderr, "usage: %s [seconds > 0]\n", argv[0]);
        return 1;
    }

    pthread_t threads[256];
    struct counts counts[256];
    memset(counts, 0, sizeof counts);
    long interrupts_before = timer_interrupts();
    for (long core = 0; core < cores; core++)
    {
        if (pthread_create(&threads[core], NULL, spin, &counts[core]) != 0)
        {
            perror("pthread_create");
            return 1;
        }
    }

    for (long core = 0; core < cores; core++)
    {
        pthread_join(threads[core], NULL);
    }

    long interrupts_after = timer_interrupts();
    double per_core_second = 1.0 / (cores * seconds);
    printf("HICCUPS cores=%ld seconds=%.1f timer_irqs_per_core_s=", cores, seconds);
    if (interrupts_before < 0 || interrupts_after < 0)
    {
        printf("unknown");
    }
    else
    {
        printf("%.0f", (interrupts_after - interrupts_before) * per_core_second);
    }

    long stolen_ns = 0;
    for (int band = 0; band < BANDS; band++)
    {
        long gaps = 0;
        long gap_ns = 0;
        for (long core = 0; core < cores; core++)
        {
            gaps += counts[core].gaps[band];
            gap_ns += counts[core].gap_ns[band];
        }

        stolen_ns += gap_ns;
        printf(" %s=%.0f/s(mean %.0fus)", band_name[band], gaps * per_core_second, gaps == 0 ? 0.0 : gap_ns / 1000.0 / gaps);
    }

    printf(" stolen_share=%.2f%%\n", stolen_ns * per_core_second / 1e9 * 100);
    return 0;
}
