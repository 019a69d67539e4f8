#!/usr/bin/env python3
"""Reference values for the keyed random streams (src/rng.c).

An implementation of the generator from its definition, in Python's
unbounded integers reduced modulo 2^64, independent of the C code's
types and shifts.  tests/unit/test_rng.c hard-codes what this prints, so a
change to the streams fails that test until the values are re-derived here
on purpose.

The definition (src/rng.c, MODEL.md section 8):

  mix(z)       the SplitMix64 finaliser (Steele, Lea and Flood 2014)
  G            0x9e3779b97f4a7c15, the golden-ratio increment
  stream key   k1; its companion k2 = k1 * 0x6a09e667f3bcc909
  draw c       mix((k1 + c * G) ^ k2) for c = 1, 2, ...
  gsl_rng_get  the upper 32 bits of a draw
  uniform      the upper 53 bits of a draw times 2^-53
  stream of (seed, trial, role, ordinal, purpose):
      h = mix(seed + 0x243f6a8885a308d3)
      h = mix(h ^ mix(trial + 0x13198a2e03707344))
      base = mix(h ^ mix((role * 2^32 + purpose) + 0xa4093822299f31d0))
      key = mix(base ^ mix(ordinal + 0x082efa98ec4e6c89))
  gsl_rng_set(r, seed) puts r on stream mix(seed + G).

With k1 = 0 (so k2 = 0) the draws are SplitMix64 seeded with 0, whose
published first output is 0xe220a8397b1dcdaf: a check of this script
against a source outside the project.
"""

MASK = (1 << 64) - 1
G = 0x9E3779B97F4A7C15
K2_MULT = 0x6A09E667F3BCC909


def mix(z):
    z &= MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def draws(key, n, pos=0):
    k2 = (key * K2_MULT) & MASK
    return [mix(((key + c * G) & MASK) ^ k2) for c in range(pos + 1, pos + n + 1)]


def stream_base(seed, trial, role, purpose):
    h = mix(seed + 0x243F6A8885A308D3)
    h = mix(h ^ mix(trial + 0x13198A2E03707344))
    return mix(h ^ mix(((role << 32) | purpose) + 0xA4093822299F31D0))


def stream(seed, trial, role, ordinal, purpose):
    return mix(stream_base(seed, trial, role, purpose) ^
               mix(ordinal + 0x082EFA98EC4E6C89))


def uniform(x):
    return (x >> 11) / 2.0 ** 53   # exact: 53 bits fit a double


# Purposes, as numbered in include/salesplan/rng.h.
MARKET, TENURE, SKILL, BOOKINGS, ATTRITION, FILL = range(1, 7)

assert draws(0, 1)[0] == 0xE220A8397B1DCDAF, "SplitMix64 reference"


def hexu(x):
    return "0x%016xULL" % x


def main():
    print("/* stream 0: SplitMix64 seeded with 0 */")
    for x in draws(0, 3):
        print("  " + hexu(x))

    cases = [
        ("(2385, 17, 3, 42, SP_RNG_BOOKINGS)", (2385, 17, 3, 42, BOOKINGS)),
        # A role hash with its top bit set and a planned-hire ordinal
        # (KEY_PLANNED | month 7 << 32 | index 2): every field wide.
        ("(0x9e3779b97f4a7c15, 99991, 0xdeadbeef, (1<<60)|(7<<32)|2, SP_RNG_FILL)",
         (0x9E3779B97F4A7C15, 99991, 0xDEADBEEF, (1 << 60) | (7 << 32) | 2, FILL)),
    ]
    for name, (seed, trial, role, ordinal, purpose) in cases:
        base = stream_base(seed, trial, role, purpose)
        key = stream(seed, trial, role, ordinal, purpose)
        print("/* %s */" % name)
        print("  base %s" % hexu(base))
        print("  key  %s" % hexu(key))
        d = draws(key, 4)
        print("  draws " + ", ".join(hexu(x) for x in d))
        print("  gsl_rng_get " + ", ".join("0x%08xUL" % (x >> 32) for x in d))
        print("  uniform " + ", ".join(uniform(x).hex() for x in d))
        print("  draw 3 resumed at pos 2: %s" % hexu(draws(key, 1, 2)[0]))

    print("/* gsl_rng_set(r, 2385) */")
    key = mix(2385 + G)
    print("  key  %s" % hexu(key))
    print("  gsl_rng_get " + ", ".join("0x%08xUL" % (x >> 32) for x in draws(key, 3)))

    x = draws(0, 1)[0]
    print("/* uniform of 0x%016x: (x >> 11) * 2^-53 = %d / 2^53 = %s = %.17g */"
          % (x, x >> 11, uniform(x).hex(), uniform(x)))


if __name__ == "__main__":
    main()
