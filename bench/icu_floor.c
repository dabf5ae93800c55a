/* ICU's own word and sentence breaking over a file of documents, and
 * nothing else: the floor under natocyber's tokenization. Input: per
 * document a uint32 count of UTF-16 code units, then the units. Prints the
 * best of `repeat` seconds for: word breaking, word breaking with the rule
 * status of each segment (as natocyber asks), sentence breaking. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ubrk.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Runs one iterator over every document; with_status also reads the rule
 * status of each boundary. Returns seconds; *boundaries counts them. */
static double run(UBreakIterator *it, const char *buf, long size, int with_status, long *boundaries)
{
    UErrorCode st = U_ZERO_ERROR;
    long nb = 0, sum = 0;
    double t = now();
    for (long p = 0; p < size;) {
        uint32_t n;
        memcpy(&n, buf + p, 4);
        const UChar *u = (const UChar *)(buf + p + 4);
        p += 4 + 2L * n;
        ubrk_setText(it, u, (int32_t)n, &st);
        for (int32_t b = ubrk_next(it); b != UBRK_DONE; b = ubrk_next(it)) {
            nb++;
            if (with_status)
                sum += ubrk_getRuleStatus(it);
        }
    }
    t = now() - t;
    if (U_FAILURE(st)) {
        fprintf(stderr, "ICU: %s\n", u_errorName(st));
        exit(1);
    }
    /* the status sum is printed nowhere; reading it keeps the calls */
    *boundaries = nb + (sum < 0);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: icu_floor FILE [REPEAT]\n");
        return 2;
    }
    int repeat = argc > 2 ? atoi(argv[2]) : 3;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *words = ubrk_open(UBRK_WORD, "en", NULL, 0, &st);
    UBreakIterator *sents = ubrk_open(UBRK_SENTENCE, "en", NULL, 0, &st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "ICU: %s\n", u_errorName(st));
        return 1;
    }
    double best[3] = {1e9, 1e9, 1e9};
    long nb[3];
    for (int r = 0; r < repeat; r++) {
        double t[3] = {run(words, buf, size, 0, &nb[0]), run(words, buf, size, 1, &nb[1]),
                       run(sents, buf, size, 0, &nb[2])};
        for (int k = 0; k < 3; k++)
            if (t[k] < best[k])
                best[k] = t[k];
    }
    printf("%.4f %.4f %.4f %ld %ld\n", best[0], best[1], best[2], nb[0], nb[2]);
    ubrk_close(words);
    ubrk_close(sents);
    free(buf);
    return 0;
}
