/*
 * framegen.c — writes {packet,4} frames of SIZE bytes to stdout as fast as the pipe takes them, for
 * SECS seconds, in 256 KiB batches (payload: sequence number in bytes 0..7, last byte = seq & 0xff).
 * Used by the runner's one-way tests: it isolates a port's receive path (read, decode, deliver).
 *   framegen SIZE SECS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: framegen SIZE SECS\n"); return 2; }
    size_t size = (size_t)atol(argv[1]);
    double secs = atof(argv[2]);
    size_t frame = size + 4, per = (256 * 1024) / frame;
    if (per < 1) per = 1;
    uint8_t *buf = calloc(per, frame);
    uint64_t seq = 0;
    double deadline = now_s() + secs;
    while (now_s() < deadline) {
        for (size_t k = 0; k < per; k++, seq++) {
            uint8_t *f = buf + k * frame;
            f[0] = (uint8_t)(size >> 24); f[1] = (uint8_t)(size >> 16); f[2] = (uint8_t)(size >> 8); f[3] = (uint8_t)size;
            for (int i = 0; i < 8; i++) f[4 + i] = (uint8_t)(seq >> (56 - 8 * i));
            f[4 + size - 1] = (uint8_t)seq;
        }
        size_t off = 0, len = per * frame;
        while (off < len) {
            ssize_t n = write(1, buf + off, len - off);
            if (n <= 0) { perror("framegen: write"); return 1; }
            off += (size_t)n;
        }
    }
    return 0;
}
