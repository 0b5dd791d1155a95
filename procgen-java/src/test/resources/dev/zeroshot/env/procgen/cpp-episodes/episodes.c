/* Reference episodes of Procgen 0.10.7 (C++, built from source; libenv.h from openai/gym3),
 * for CppEpisodes in the Java tests. One env, rand_seed 0, levels [0, 100000); episode e is
 * played with ACTION every step, or (ACTION = -1) with actions u32 % 15 from a splitmix64
 * stream seeded e * 1000003, for at most MAX_STEPS steps. Prints, per episode:
 * level_seed length return complete.
 * Build: gcc -O2 -I DIR_WITH_LIBENV_H episodes.c -L PROCGEN_BUILD -lenv -Wl,-rpath,PROCGEN_BUILD -o episodes
 * Usage: episodes RESOURCE_ROOT/ GAME DISTRIBUTION_MODE EPISODES ACTION MAX_STEPS
 * (the files here: episodes procgen/data/assets/ starpilot 1 100 -1 1000 for starpilot hard, ...;
 * distribution modes: easy 0, hard 1, extreme 2). Not compiled by the build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "libenv.h"
static uint64_t rng_state;
static uint32_t next_u32(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}
static struct libenv_option opt_int(const char *name, int32_t *v) {
    struct libenv_option o; memset(&o, 0, sizeof o);
    strncpy(o.name, name, LIBENV_MAX_NAME_LEN - 1); o.dtype = LIBENV_DTYPE_INT32; o.count = 1; o.data = v; return o;
}
static struct libenv_option opt_str(const char *name, const char *s) {
    struct libenv_option o; memset(&o, 0, sizeof o);
    strncpy(o.name, name, LIBENV_MAX_NAME_LEN - 1); o.dtype = LIBENV_DTYPE_UINT8; o.count = (int)strlen(s); o.data = (void *)s; return o;
}
int main(int argc, char **argv) {
    const char *root = argv[1]; const char *game = argv[2]; int32_t dist = atoi(argv[3]);
    int levels = atoi(argv[4]); int32_t act = atoi(argv[5]); int maxsteps = atoi(argv[6]);
    {
        int32_t num_levels = 100000, start_level = 0, num_actions = 15, threads = 0, seed = 0;
        struct libenv_option items[] = {
            opt_str("env_name", game), opt_int("num_levels", &num_levels), opt_int("start_level", &start_level),
            opt_int("num_actions", &num_actions), opt_int("rand_seed", &seed), opt_int("num_threads", &threads),
            opt_str("resource_root", root), opt_int("distribution_mode", &dist)};
        struct libenv_options opts = {items, (int)(sizeof items / sizeof items[0])};
        libenv_env *env = libenv_make(1, opts);
        static uint8_t obs[64 * 64 * 3];
        float rew = 0; uint8_t first = 0; int32_t action = act;
        int32_t prev_seed = 0, seed_now = 0; uint8_t prev_complete = 0;
        void *ob_ptrs[1] = {obs}; void *info_ptrs[3] = {&prev_seed, &prev_complete, &seed_now}; void *ac_ptrs[1] = {&action};
        struct libenv_buffers bufs = {ob_ptrs, &rew, &first, info_ptrs, ac_ptrs};
        libenv_set_buffers(env, &bufs);
        libenv_observe(env);
        for (int e = 0; e < levels; e++) {
        int len = 0; double ret = 0;
        rng_state = (uint64_t)e * 1000003ULL;
        while (len < maxsteps) {
            if (act < 0) action = (int32_t)(next_u32() % 15);
            libenv_act(env); libenv_observe(env);
            len++; ret += rew;
            if (first) break;
        }
        printf("%d %d %.4f %d\n", prev_seed, len, ret, (int)prev_complete);
        }
        libenv_close(env);
    }
    return 0;
}
