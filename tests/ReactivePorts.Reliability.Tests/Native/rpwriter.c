/* rpwriter: a child for the reliability tests (compiled with gcc at test time, never committed built).
 *
 *   rpwriter SEED TOTAL MAXCHUNK END
 *
 * Writes TOTAL bytes of the SplitMix64 stream of SEED (each 64-bit output little-endian, the same
 * stream ByteStream.cs generates) to stdout in chunks of 1..MAXCHUNK bytes (sizes drawn from a
 * second SplitMix64 stream seeded with SEED ^ 0x9E3779B97F4A7C15), then ends as END says:
 *   exit:N  exit(N)             kill  raise(SIGKILL)
 *   segv    a real NULL write   abort abort()
 *   stop    read stdin until eof (never, if nobody closes it), then exit 0
 * A write error (EPIPE with SIGPIPE ignored) exits 3. No core files: RLIMIT_CORE is 0. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void write_all(const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            _exit(3);
        }
        p += w;
        n -= (size_t)w;
    }
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: rpwriter SEED TOTAL MAXCHUNK END\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 10);
    long long total = strtoll(argv[2], NULL, 10);
    long maxchunk = strtol(argv[3], NULL, 10);
    const char *end = argv[4];
    if (maxchunk < 1) maxchunk = 1;

    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_CORE, &none);

    uint64_t data = seed, sizes = seed ^ 0x9E3779B97F4A7C15ULL;
    unsigned char *chunk = malloc((size_t)maxchunk + 8);
    uint64_t word = 0;
    int left_in_word = 0;
    long long written = 0;
    while (written < total) {
        long n = (long)(splitmix64(&sizes) % (uint64_t)maxchunk) + 1;
        if (n > total - written) n = (long)(total - written);
        for (long i = 0; i < n; i++) {
            if (left_in_word == 0) { word = splitmix64(&data); left_in_word = 8; }
            chunk[i] = (unsigned char)word;
            word >>= 8;
            left_in_word--;
        }
        write_all(chunk, (size_t)n);
        written += n;
    }

    if (strncmp(end, "exit:", 5) == 0) return atoi(end + 5);
    if (strcmp(end, "kill") == 0) raise(SIGKILL);
    if (strcmp(end, "abort") == 0) abort();
    if (strcmp(end, "segv") == 0) {
        signal(SIGSEGV, SIG_DFL);
        *(volatile int *)0 = 1;
    }
    if (strcmp(end, "stop") == 0) {
        char buf[4096];
        while (read(0, buf, sizeof buf) > 0) { }
        return 0;
    }
    return 99;
}
