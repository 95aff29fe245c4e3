#![no_main]
// The logic is huiqi::fuzzing::load_bundle, which tests/fuzz_corpus.rs replays in cargo
// test. Byte-level mutation of a rule bundle almost always breaks the JSON and stops
// at the parser, so most mutations here are made on the parsed JSON instead: values
// swapped for other values of the bundle or for tricky ones, items dropped, duplicated
// or grafted elsewhere. That reaches the validator and, for what passes, the engine.

use libfuzzer_sys::{fuzz_mutator, fuzz_target, fuzzer_mutate};
use serde_json::Value;

fuzz_target!(|data: &[u8]| huiqi::fuzzing::load_bundle(data));

/// What rule files say that tends to matter: bounds, units, dates at the edges of the
/// calendar, expression fragments, enum names.
const TRICKY: &[&str] = &[
    "", " ", "0", "-1", "1", "0.005", "5%", "100%", "0%", "33.3333333%", "200万", "1亿", "1万亿",
    "99999999999999999999亿", "99999999999999999999", "0.0000000000000000000000000001",
    "1900-01-01", "2200-12-31", "2024-02-29", "2023-02-29", "2024-06-30",
    "district", "outside_hangzhou", "binjiang", "true", "false", "not true", "district == \"binjiang\"",
    "district in []", " and ", " or ", " / 0", " * 99999999999999999999亿", "-(", "((((((((((", "))",
    "fixed", "rate", "per_unit", "tiers", "grant_share", "fee_reduction", "case_by_case",
    "one_time", "yearly", "multi_year", "city", "district", "province", "money", "count", "percent",
    "bool", "date", "choice", "x", "a-b", "A",
];

/// A small deterministic generator seeded by libFuzzer, so a mutation can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

/// The `k`-th value in pre-order.
fn nth_mut<'a>(v: &'a mut Value, k: &mut usize) -> Option<&'a mut Value> {
    if *k == 0 {
        return Some(v);
    }
    *k -= 1;
    match v {
        Value::Array(a) => a.iter_mut().find_map(|x| nth_mut(x, k)),
        Value::Object(o) => o.values_mut().find_map(|x| nth_mut(x, k)),
        _ => None,
    }
}

fn strings(v: &Value, into: &mut Vec<String>) {
    match v {
        Value::String(s) => into.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, into)),
        Value::Object(o) => {
            for (k, x) in o {
                into.push(k.clone());
                strings(x, into);
            }
        }
        _ => {}
    }
}

fn mutate_json(root: &mut Value, rng: &mut Rng) {
    let n = count(root);
    let graft = {
        let mut k = rng.below(n);
        nth_mut(root, &mut k).map(|v| v.clone())
    };
    let mut pool = Vec::new();
    strings(root, &mut pool);
    let pick = |rng: &mut Rng| -> String {
        if rng.below(2) == 0 && !pool.is_empty() {
            pool[rng.below(pool.len())].clone()
        } else {
            TRICKY[rng.below(TRICKY.len())].to_string()
        }
    };
    let mut k = rng.below(n);
    let Some(target) = nth_mut(root, &mut k) else { return };
    match (rng.below(8), target) {
        // Another part of the bundle put here: a benefit in a second document, a
        // fact's options as a benefit's list, and so on.
        (0, target) => {
            if let Some(g) = graft {
                *target = g;
            }
        }
        (_, Value::String(s)) => match rng.below(4) {
            0 => *s = pick(rng),
            1 => s.push_str(&pick(rng)),
            2 => s.insert_str(0, &pick(rng)),
            _ => {
                // libFuzzer's own byte mutations, inside the string only.
                let mut bytes = s.clone().into_bytes();
                let len = bytes.len();
                bytes.resize(len * 2 + 8, 0);
                let cap = bytes.len();
                let new_len = fuzzer_mutate(&mut bytes, len, cap);
                bytes.truncate(new_len);
                if let Ok(t) = String::from_utf8(bytes) {
                    *s = t;
                }
            }
        },
        (_, Value::Array(a)) if !a.is_empty() => {
            let i = rng.below(a.len());
            match rng.below(3) {
                0 => {
                    a.remove(i);
                }
                1 => {
                    let copy = a[i].clone();
                    a.insert(rng.below(a.len() + 1), copy);
                }
                _ => {
                    let j = rng.below(a.len());
                    a.swap(i, j);
                }
            }
        }
        (_, Value::Object(o)) if !o.is_empty() => {
            let keys: Vec<String> = o.keys().cloned().collect();
            let key = &keys[rng.below(keys.len())];
            match rng.below(3) {
                0 => {
                    o.remove(key);
                }
                1 => {
                    let v = o[key].clone();
                    o.insert(pick(rng), v);
                }
                _ => {
                    o.insert(key.clone(), Value::String(pick(rng)));
                }
            }
        }
        // Line numbers and years: zero, negative, and past u32.
        (_, Value::Number(n)) => {
            let numbers = [0i64, 1, 2, -1, i64::from(u32::MAX), i64::from(u32::MAX) + 1, i64::MAX];
            *n = numbers[rng.below(numbers.len())].into();
        }
        (_, Value::Bool(b)) => *b = !*b,
        (_, other) => *other = Value::String(pick(rng)),
    }
}

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = Rng(u64::from(seed) << 1 | 1);
    // A quarter of the time, plain byte mutations: they find the format errors.
    if rng.below(4) == 0 {
        return fuzzer_mutate(data, size, max_size);
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(&data[..size]) else {
        return fuzzer_mutate(data, size, max_size);
    };
    for _ in 0..1 + rng.below(3) {
        mutate_json(&mut value, &mut rng);
    }
    match serde_json::to_vec(&value) {
        Ok(out) if out.len() <= max_size => {
            data[..out.len()].copy_from_slice(&out);
            out.len()
        }
        _ => fuzzer_mutate(data, size, max_size),
    }
});
