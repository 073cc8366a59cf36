/*
 * The C ABI's answers against the library's: tests/c_abi.rs writes, for each
 * policy of DIR/manifest.txt, the request and message lines and the answers the
 * Rust library gives them; this program loads the same policy through the ABI
 * and asks the same questions from THREADS threads at once on that one policy.
 *
 *     test_linkpolicy DIR [THREADS]
 *
 * Prints "N passed, M failed" and exits 1 on any failure. Every string the ABI
 * returns is freed, so valgrind's leak check can hold the ABI to its ownership
 * rules (.ci/steps/30-ffi.sh).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkpolicy.h"

static atomic_long passed;
static atomic_long failed;

static void check(int ok, const char *what, const char *detail) {
    if (ok) {
        atomic_fetch_add(&passed, 1);
    } else {
        long n = atomic_fetch_add(&failed, 1);
        if (n < 20) {
            fprintf(stderr, "FAIL %s: %s\n", what, detail ? detail : "");
        }
    }
}

/* A whole file, NUL-terminated; its length in *len. */
static char *read_file(const char *dir, const char *name, const char *ext, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (!buf) {
        exit(2);
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The lines of a file: pointers into it and lengths, with no NUL after each
 * line (the ABI reads `len` bytes and must not need one). */
typedef struct {
    char *text;
    const char **line;
    size_t *len;
    size_t count;
} lines;

static lines read_lines(const char *dir, const char *name, const char *ext) {
    lines l;
    size_t n;
    l.text = read_file(dir, name, ext, &n);
    l.count = 0;
    for (size_t i = 0; i < n; i++) {
        l.count += l.text[i] == '\n';
    }
    l.line = malloc(sizeof *l.line * (l.count + 1));
    l.len = malloc(sizeof *l.len * (l.count + 1));
    size_t start = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (l.text[i] == '\n') {
            l.line[k] = l.text + start;
            l.len[k] = i - start;
            /* Overwrite the newline with a byte that is not NUL, so nothing can
             * rely on a terminator. */
            l.text[i] = '#';
            k++;
            start = i + 1;
        }
    }
    return l;
}

static void free_lines(lines *l) {
    free(l->text);
    free(l->line);
    free(l->len);
}

static int same(const char *got, const char *want, size_t want_len) {
    return got && strlen(got) == want_len && memcmp(got, want, want_len) == 0;
}

typedef struct {
    const lp_policy *policy;
    const char *name;
    lines requests, answers, messages, scans, actions;
} suite;

static lp_action action_named(const char *s, size_t n) {
    if (n == 5 && memcmp(s, "allow", 5) == 0) return LP_ACTION_ALLOW;
    if (n == 4 && memcmp(s, "warn", 4) == 0) return LP_ACTION_WARN;
    if (n == 5 && memcmp(s, "block", 5) == 0) return LP_ACTION_BLOCK;
    return LP_ACTION_ERROR;
}

static void *run_suite(void *arg) {
    const suite *s = arg;
    char detail[512];
    for (size_t i = 0; i < s->requests.count; i++) {
        char *got = lp_classify(s->policy, s->requests.line[i], s->requests.len[i]);
        snprintf(detail, sizeof detail, "%s request %zu: got %.200s", s->name, i, got ? got : "NULL");
        check(same(got, s->answers.line[i], s->answers.len[i]), "lp_classify", detail);
        lp_string_free(got);
    }
    for (size_t i = 0; i < s->messages.count; i++) {
        char *got = lp_scan(s->policy, s->messages.line[i], s->messages.len[i]);
        snprintf(detail, sizeof detail, "%s message %zu: got %.200s", s->name, i, got ? got : "NULL");
        check(same(got, s->scans.line[i], s->scans.len[i]), "lp_scan", detail);
        lp_string_free(got);
    }
    for (size_t i = 0; i < s->actions.count; i++) {
        /* "CHAT MEMBERS ACTION LINK" */
        const char *p = s->actions.line[i], *end = p + s->actions.len[i];
        char *after;
        long chat = strtol(p, &after, 10);
        unsigned long members = strtoul(after, &after, 10);
        const char *word = after + 1, *space = memchr(word, ' ', (size_t)(end - word));
        if (!space) {
            check(0, "actions file", "malformed line");
            continue;
        }
        lp_action want = action_named(word, (size_t)(space - word));
        const char *link = space + 1;
        lp_action got = lp_classify_action(s->policy, link, (size_t)(end - link), (int32_t)chat,
                                           (uint32_t)members);
        snprintf(detail, sizeof detail, "%s link %.200s: got %d, want %d", s->name, link, got, want);
        check(got == want && want != LP_ACTION_ERROR, "lp_classify_action", detail);
    }
    return NULL;
}

static lp_policy *load(const char *format, const char *text, size_t len, char **error) {
    return strcmp(format, "json") == 0 ? lp_policy_from_json(text, len, error)
                                       : lp_policy_from_toml(text, len, error);
}

/* What the ABI must do with NULL pointers and bytes that are not UTF-8. */
static void edge_cases(const lp_policy *policy) {
    char *s;
    s = lp_classify(NULL, "x", 1);
    check(strcmp(s, "{\"error\":\"policy is NULL\"}") == 0, "lp_classify(NULL policy)", s);
    lp_string_free(s);
    s = lp_classify(policy, NULL, 3);
    check(strcmp(s, "{\"error\":\"request is NULL\"}") == 0, "lp_classify(NULL, 3)", s);
    lp_string_free(s);
    s = lp_classify(policy, NULL, 0);
    check(strcmp(s, "{\"error\":\"empty line\"}") == 0, "lp_classify(NULL, 0)", s);
    lp_string_free(s);
    s = lp_classify(policy, "https://a.example/\xff", 19);
    check(strcmp(s, "{\"error\":\"cannot read line: stream did not contain valid UTF-8\"}") == 0,
          "lp_classify(not UTF-8)", s);
    lp_string_free(s);
    s = lp_scan(NULL, "x", 1);
    check(strcmp(s, "{\"error\":\"policy is NULL\"}") == 0, "lp_scan(NULL policy)", s);
    lp_string_free(s);
    s = lp_scan(policy, NULL, 0);
    check(strcmp(s, "{\"links\":[]}") == 0, "lp_scan(empty)", s);
    lp_string_free(s);
    /* A link with a NUL inside is read to its length, not cut at the NUL. */
    s = lp_classify(policy, "https://a.example/\0x", 20);
    check(s != NULL && strstr(s, "\"url\":\"https://a.example/%00x\"") != NULL, "lp_classify(NUL inside)", s);
    lp_string_free(s);

    check(lp_classify_action(NULL, "https://a.example/", 18, LP_CHAT_KIND_ONE_TO_ONE, 0) == LP_ACTION_ERROR,
          "lp_classify_action(NULL policy)", NULL);
    check(lp_classify_action(policy, NULL, 5, LP_CHAT_KIND_ONE_TO_ONE, 0) == LP_ACTION_ERROR,
          "lp_classify_action(NULL link)", NULL);
    check(lp_classify_action(policy, "https://a.example/", 18, 7, 0) == LP_ACTION_ERROR,
          "lp_classify_action(chat kind 7)", NULL);
    check(lp_classify_action(policy, "https://a.example/", 18, -1, 0) == LP_ACTION_ERROR,
          "lp_classify_action(chat kind -1)", NULL);
    check(lp_classify_action(policy, "https://a.example/", 18, LP_CHAT_KIND_ONE_TO_ONE, 3) == LP_ACTION_ERROR,
          "lp_classify_action(members in a one-to-one chat)", NULL);
    check(lp_classify_action(policy, "https://a.example/\xff", 19, LP_CHAT_KIND_ONE_TO_ONE, 0) == LP_ACTION_ERROR,
          "lp_classify_action(not UTF-8)", NULL);
    check(lp_classify_action(policy, "javascript:alert(1)", 19, LP_CHAT_KIND_GROUP, 9) == LP_ACTION_BLOCK,
          "lp_classify_action(javascript:)", NULL);

    check(lp_policy_revision(NULL) == 0, "lp_policy_revision(NULL)", NULL);
    lp_policy_free(NULL);
    lp_string_free(NULL);

    char *error = (char *)1;
    check(lp_policy_from_toml(NULL, 4, &error) == NULL && error && strcmp(error, "policy text is NULL") == 0,
          "lp_policy_from_toml(NULL)", error);
    lp_string_free(error);
    error = NULL;
    check(lp_policy_from_json("{\"version\": 1}\xff", 15, &error) == NULL && error &&
              strncmp(error, "policy text is not UTF-8", 24) == 0,
          "lp_policy_from_json(not UTF-8)", error);
    lp_string_free(error);
    check(lp_policy_from_toml("version = ", 10, NULL) == NULL, "lp_policy_from_toml(error NULL)", NULL);
    check(strcmp(lp_version(), "0.1.0") == 0, "lp_version", lp_version());
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_linkpolicy DIR [THREADS]\n");
        return 2;
    }
    const char *dir = argv[1];
    int threads = argc > 2 ? atoi(argv[2]) : 8;
    if (threads < 1 || threads > 64) {
        threads = 8;
    }
    size_t n;
    char *manifest = read_file(dir, "manifest", ".txt", &n);
    char kind[16], format[16], name[256], revision[32];
    int consumed = 0;
    const char *p = manifest;
    while (sscanf(p, "%15s %15s %255s %31s%n", kind, format, name, revision, &consumed) == 4) {
        p += consumed;
        size_t len;
        char *text = read_file(dir, name, ".policy", &len);
        char *error = NULL;
        lp_policy *policy = load(format, text, len, &error);
        free(text);
        if (strcmp(kind, "bad") == 0) {
            size_t want_len;
            char *want = read_file(dir, name, ".error", &want_len);
            char detail[2048];
            snprintf(detail, sizeof detail, "%.200s: got %.400s, want %.400s", name, error ? error : "NULL", want);
            check(policy == NULL && same(error, want, want_len), "load error", detail);
            free(want);
            lp_string_free(error);
            lp_policy_free(policy);
            continue;
        }
        if (!policy) {
            check(0, "load", error);
            lp_string_free(error);
            continue;
        }
        check(error == NULL, "load sets *error to NULL", name);
        char rev[32];
        snprintf(rev, sizeof rev, "%" PRIx64, lp_policy_revision(policy));
        check(strcmp(rev, revision) == 0, "lp_policy_revision", rev);

        suite s = {policy, name,
                   read_lines(dir, name, ".requests"), read_lines(dir, name, ".answers"),
                   read_lines(dir, name, ".messages"), read_lines(dir, name, ".scans"),
                   read_lines(dir, name, ".actions")};
        if (s.requests.count != s.answers.count || s.messages.count != s.scans.count) {
            check(0, "case files", "line counts differ");
        }
        pthread_t tid[64];
        for (int t = 0; t < threads; t++) {
            if (pthread_create(&tid[t], NULL, run_suite, &s) != 0) {
                check(0, "pthread_create", name);
                threads = t;
                break;
            }
        }
        for (int t = 0; t < threads; t++) {
            pthread_join(tid[t], NULL);
        }
        edge_cases(policy);
        lp_policy_free(policy);
        free_lines(&s.requests);
        free_lines(&s.answers);
        free_lines(&s.messages);
        free_lines(&s.scans);
        free_lines(&s.actions);
    }
    free(manifest);
    long ok = atomic_load(&passed), bad = atomic_load(&failed);
    printf("%ld passed, %ld failed\n", ok, bad);
    return bad == 0 && ok > 0 ? 0 : 1;
}
