/*
 * train_step.c's target layer for WebAssembly (`deno task kernel`): 128-bit SIMD vectors, and
 * memory as a bump allocator over the instance's fresh (zeroed) pages, since one instance trains
 * once.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))
/* Every instance has its own memory: state needs no more than `static`. */
#define STATE static
/* One instance trains once: nothing to release before setup. */
#define TARGET_RESET() ((void)0)

/* VW float lanes per vector (WebAssembly SIMD: 4). Below, blocks are counted in vectors: a row
 * is padded to CB = 2·VW floats, the columns one register block covers. */
#define VW 4
#define CB (2 * VW)
/* Where sparse.h's products pay (measured; below, the dense ones of products.h): grouped_rows
 * from this many units of A (at 30 it loses), grouped_gram from rows of A of this many floats
 * (at 64 it gains nothing). */
#define GROUPED_MIN_WIDTH 64
#define GROUPED_GRAM_MIN_STRIDE 128
typedef v128_t vf;

#define V_ADD wasm_f32x4_add
#define V_SUB wasm_f32x4_sub
#define V_MUL wasm_f32x4_mul
#define V_DIV wasm_f32x4_div
#define V_ABS wasm_f32x4_abs
#define V_LOAD(p) wasm_v128_load(p)
#define V_STORE(p, v) wasm_v128_store(p, v)
#define V_SPLAT wasm_f32x4_splat
/* One float of memory in every lane. */
#define V_LOAD_SPLAT(p) wasm_v128_load32_splat(p)
/* p[0], p[s], …, p[(VW−1)·s] */
#define V_LOAD_STRIDED(p, s) wasm_f32x4_make((p)[0], (p)[s], (p)[2 * (s)], (p)[3 * (s)])
/* pmax(0, v): 0 where v is NaN, as XNNPACK's fused ReLU. */
#define V_RELU(v) wasm_f32x4_pmax(V_SPLAT(0.0f), v)
/* 1 where v > 0, else 0 (tfjs' Step). */
#define V_STEP(v) wasm_v128_and(wasm_f32x4_gt(v, V_SPLAT(0.0f)), V_SPLAT(1.0f))
/* Lane masks and the integer operations XNNPACK's sigmoid uses on the float bits. */
#define V_GT wasm_f32x4_gt
#define V_ANDNOT wasm_v128_andnot
#define V_SELECT(a, b, mask) wasm_v128_bitselect(a, b, mask)
#define V_SHL_BITS(v, k) wasm_i32x4_shl(v, k)
#define V_SIGN_MASK(v) wasm_i32x4_shr(v, 31)
/* Integer views of the lanes, for musl's tanh: its branches test the float's bits, and 2^k is
 * built from the integer k. */
#define V_SPLAT_I32 wasm_i32x4_splat
#define V_I32_ADD wasm_i32x4_add
#define V_I32_SUB wasm_i32x4_sub
#define V_I32_GT wasm_i32x4_gt
#define V_I32_LT wasm_i32x4_lt
#define V_I32_EQ wasm_i32x4_eq
#define V_AND wasm_v128_and
#define V_OR wasm_v128_or
#define V_XOR wasm_v128_xor
#define V_LT wasm_f32x4_lt
#define V_LE wasm_f32x4_le
#define V_NE wasm_f32x4_ne
/* Truncation toward zero (saturating: a lane out of int range gives INT_MIN/MAX, no trap). */
#define V_TRUNC_I32 wasm_i32x4_trunc_sat_f32x4
#define V_I32_TO_F32 wasm_f32x4_convert_i32x4
/* Rows r[0..VW−1] of a VW × VW block become its columns. */
#define V_TRANSPOSE(r)                                                                         \
  do {                                                                                         \
    vf t0 = wasm_i32x4_shuffle(r[0], r[1], 0, 4, 1, 5);                                        \
    vf t1 = wasm_i32x4_shuffle(r[2], r[3], 0, 4, 1, 5);                                        \
    vf t2 = wasm_i32x4_shuffle(r[0], r[1], 2, 6, 3, 7);                                        \
    vf t3 = wasm_i32x4_shuffle(r[2], r[3], 2, 6, 3, 7);                                        \
    r[0] = wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5);                                             \
    r[1] = wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7);                                             \
    r[2] = wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5);                                             \
    r[3] = wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7);                                             \
  } while (0)

/* Whether any lane of a mask is set. */
#define V_ANY_TRUE(mask) wasm_v128_any_true(mask)

/* Bit q set where lane q of v is not zero (NaN included): sparse.h's row masks. */
#define V_NONZERO_BITS(v) ((uint32_t)wasm_i32x4_bitmask(wasm_f32x4_ne(v, V_SPLAT(0.0f))))

/* ---------- memory: one instance trains once, so a bump allocator over zeroed pages ---------- */

extern unsigned char __heap_base;
STATE uintptr_t heap_top;
/* Set by the first allocation that fails; setup reports it. */
STATE int out_of_memory;

/* The most linear memory wasm32 can address (65536 pages of 64 KiB). */
#define MEMORY_LIMIT 0x100000000ull

/* count floats, 16-byte aligned and zero (fresh pages); 0, and out_of_memory set, when they do
 * not fit or memory cannot grow. Sizes are 64-bit: a count past 4 GiB must fail here, not wrap
 * around. */
static float *take(uint64_t count) {
  if (out_of_memory) return 0;
  if (heap_top == 0) heap_top = (uintptr_t)&__heap_base;
  uint64_t start = ((uint64_t)heap_top + 15u) & ~(uint64_t)15u;
  uint64_t end = start + count * sizeof(float);
  uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * 65536u;
  if (count > MEMORY_LIMIT || end > MEMORY_LIMIT ||
      (end > have &&
       __builtin_wasm_memory_grow(0, (size_t)((end - have + 65535u) / 65536u)) == (size_t)-1)) {
    out_of_memory = 1;
    return 0;
  }
  heap_top = (uintptr_t)end;
  return (float *)(uintptr_t)start;
}

