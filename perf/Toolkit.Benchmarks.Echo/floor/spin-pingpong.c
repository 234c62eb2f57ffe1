// The floor for echo-64 `lat` with spinning receivers: raw TCP over 127.0.0.1, one 80-byte message each way (a
// 4-byte length, an 8-byte id and 64 bytes of payload, as Toolkit's frame carries), one call in flight, and both sides
// polling their socket with non-blocking recv() instead of sleeping in the kernel, as Toolkit's readers do. Nothing
// else runs in either process, so what is left of its tail is the machine's: timer ticks, the hypervisor, other work.
//
//   gcc -O2 -o /tmp/spin-pingpong perf/Toolkit.Benchmarks.Echo/floor/spin-pingpong.c
//   /tmp/spin-pingpong server 45999 & sleep 0.3; /tmp/spin-pingpong client 45999 2 10; wait
//
// The client prints calls/s, p50, p95, p98, p99 and p99.5 in µs (100 ns buckets, the upper edge of the bucket holding
// the ceil(p·N)-th call, as echo-64 asks) and the share of calls slower than twice the p50.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE 80
#define BUCKETS 1000000 // 100 ns each: up to 100 ms

static long histogram[BUCKETS];

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void receive_all(int fd, char *buffer, int size)
{
    for (int got = 0; got < size;)
    {
        ssize_t read = recv(fd, buffer + got, size - got, MSG_DONTWAIT);
        if (read > 0)
        {
            got += read;
        }
        else if (read == 0)
        {
            exit(0); // the peer closed
        }
        else if (errno != EAGAIN && errno != EINTR)
        {
            perror("recv");
            exit(1);
        }
    }
}

static void send_all(int fd, const char *buffer, int size)
{
    for (int sent = 0; sent < size;)
    {
        ssize_t written = send(fd, buffer + sent, size - sent, 0);
        if (written > 0)
        {
            sent += written;
        }
        else if (errno != EAGAIN && errno != EINTR)
        {
            perror("send");
            exit(1);
        }
    }
}

// The upper edge, in µs, of the bucket holding the ceil(p·n)-th call.
static double percentile(double p, long n)
{
    long rank = (long)(p * n);
    if (rank < p * n)
    {
        rank++;
    }

    long seen = 0;
    for (long bucket = 0; bucket < BUCKETS; bucket++)
    {
        seen += histogram[bucket];
        if (seen >= rank)
        {
            return (bucket + 1) / 10.0;
        }
    }

    return BUCKETS / 10.0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "server") != 0 && (strcmp(argv[1], "client") != 0 || argc < 5)))
    {
        fprintf(stderr, "usage: %s server <port> | client <port> <warm-up s> <window s>\n", argv[0]);
        return 2;
    }

    int one = 1;
    char buffer[MESSAGE];
    memset(buffer, 7, sizeof buffer);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

    if (strcmp(argv[1], "server") == 0)
    {
        int listener = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0)
        {
            perror("bind/listen");
            return 1;
        }

        int connection = accept(listener, NULL, NULL);
        setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        while (1)
        {
            receive_all(connection, buffer, MESSAGE);
            send_all(connection, buffer, MESSAGE);
        }
    }

    int connection = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(connection, (struct sockaddr *)&address, sizeof address) != 0)
    {
        perror("connect");
        return 1;
    }

    double window = atof(argv[4]);
    long window_start = now_ns() + (long)(atof(argv[3]) * 1e9);
    long window_end = window_start + (long)(window * 1e9);
    long calls = 0;
    while (1)
    {
        long issued = now_ns();
        send_all(connection, buffer, MESSAGE);
        receive_all(connection, buffer, MESSAGE);
        long completed = now_ns();
        if (completed >= window_end)
        {
            break;
        }

        if (completed >= window_start)
        {
            long bucket = (completed - issued) / 100;
            histogram[bucket < BUCKETS ? bucket : BUCKETS - 1]++;
            calls++;
        }
    }

    double p50 = percentile(0.50, calls);
    long slow = 0;
    for (long bucket = (long)(p50 * 20); bucket < BUCKETS; bucket++)
    {
        slow += histogram[bucket];
    }

    printf("calls/s=%.0f p50_us=%.1f p95_us=%.1f p98_us=%.1f p99_us=%.1f p995_us=%.1f p99/p50=%.2f slower_than_2x_p50=%.2f%%\n",
           calls / window, p50, percentile(0.95, calls), percentile(0.98, calls), percentile(0.99, calls),
           percentile(0.995, calls), percentile(0.99, calls) / p50, slow * 100.0 / calls);
    return 0;
}
