//! A generated company register for `huiqi match`: realistic, seeded, deterministic.
//!
//!   cargo run --release --example gen_register -- 100000 > /tmp/r.csv
//!   cargo run --release --example gen_register -- 100000 --seed 7 --garbage 0.1 --gbk > /tmp/r-gbk.csv
//!   cargo run --release --example gen_register -- 1000000 --duplicates 0.01 > /tmp/r-dup.csv
//!
//! One row per company: a credit code, a name, and the facts a bureau's register holds
//! (district, size, headcount, revenue, R&D spend, recognitions, trade), by the catalogue's
//! fact ids. The distributions are rough shapes of a Hangzhou register, not statistics:
//! most companies are micro and small, revenue and headcount are log-normal within their
//! size class, most spend nothing on R&D, recognitions are rare. About 5% of cells are
//! left blank (unknown); `--garbage F` makes a fraction F of the cells unreadable text.
//!
//! Credit codes are 32 random bits after the district's area code, so a large register
//! may hold a few by chance (about n²/2³³ pairs per district's share: a handful in a
//! million rows); `--duplicates F` gives a fraction F of the rows the id of one of the
//! last 4096 rows, as a register that lists a company twice has. Without these options
//! the output is the same as ever for a seed.

use std::io::{self, BufWriter, Write};

/// SplitMix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos()
    }
    /// Log-normal with the given median and spread (sigma of the log).
    fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }
    fn pick<'a>(&mut self, weighted: &[(&'a str, f64)]) -> &'a str {
        let total: f64 = weighted.iter().map(|(_, w)| w).sum();
        let mut x = self.unit() * total;
        for (item, w) in weighted {
            if x < *w {
                return item;
            }
            x -= w;
        }
        weighted[weighted.len() - 1].0
    }
}

/// Rough shares of Hangzhou's registered companies by district (a few outside the city).
const DISTRICTS: &[(&str, f64)] = &[
    ("yuhang", 17.0),
    ("xiaoshan", 14.0),
    ("binjiang", 9.0),
    ("xihu", 10.0),
    ("gongshu", 9.0),
    ("shangcheng", 9.0),
    ("linping", 8.0),
    ("qiantang", 6.0),
    ("fuyang", 6.0),
    ("linan", 4.0),
    ("tonglu", 3.0),
    ("chunan", 2.0),
    ("jiande", 2.0),
    ("outside_hangzhou", 1.0),
];

/// District codes of the credit code's registration authority (33 01 xx).
fn area_code(district: &str) -> &'static str {
    match district {
        "shangcheng" => "330102",
        "gongshu" => "330105",
        "xihu" => "330106",
        "binjiang" => "330108",
        "xiaoshan" => "330109",
        "yuhang" => "330110",
        "fuyang" => "330111",
        "linan" => "330112",
        "linping" => "330113",
        "qiantang" => "330114",
        "tonglu" => "330122",
        "chunan" => "330127",
        "jiande" => "330182",
        _ => "330281",
    }
}

const WORDS: &[&str] = &["华", "新", "智", "联", "创", "恒", "鑫", "远", "达", "科", "信", "盛", "元", "启", "宏", "博", "睿", "云", "海", "中"];
const TRADES: &[&str] = &["科技", "信息技术", "电子", "机械", "新材料", "生物医药", "贸易", "网络", "数据", "制造", "文化传媒", "物流"];

const HEADER: &[&str] = &[
    "统一社会信用代码",
    "企业名称",
    "district",
    "taxed_in_hangzhou",
    "size_class",
    "从业人员数",
    "revenue",
    "rd_spend",
    "rd_spend_prev",
    "manufacturer",
    "above_scale",
    "first_time_above_scale",
    "tech_enterprise",
    "tech_sme_scale",
    "high_tech_enterprise",
    "new_high_tech_enterprise",
    "new_provincial_tech_sme",
    "new_city_eagle",
    "new_provincial_specialised_sme",
    "new_national_little_giant",
    "foreign_trade_enterprise",
    "export_credit_premium",
    "foreign_patent_applications",
];

fn yes(b: bool) -> String {
    (if b { "是" } else { "否" }).to_string()
}

/// Money as registers write it: in 元, or now and then in 万.
fn money(rng: &mut Rng, yuan: f64) -> String {
    let yuan = yuan.max(0.0).round();
    if rng.chance(0.3) {
        format!("{}万", (yuan / 100.0).round() / 100.0)
    } else {
        format!("{yuan}")
    }
}

fn company(rng: &mut Rng, i: u64) -> Vec<String> {
    let district = rng.pick(DISTRICTS);
    let size = rng.pick(&[("micro", 78.0), ("small", 17.0), ("medium", 4.0), ("large", 1.0)]);
    let (staff_median, revenue_median) = match size {
        "micro" => (6.0, 1.5e6),
        "small" => (60.0, 2.0e7),
        "medium" => (450.0, 2.0e8),
        _ => (2500.0, 2.0e9),
    };
    let employees = rng.log_normal(staff_median, 0.6).round().max(1.0);
    let revenue = rng.log_normal(revenue_median, 0.8);
    let manufacturer = rng.chance(0.22);
    let tech = rng.chance(if district == "binjiang" { 0.45 } else { 0.15 });
    // Most companies report no R&D; technology companies spend a few percent of revenue.
    let rd = if tech || rng.chance(0.1) { revenue * (0.01 + 0.12 * rng.unit()) } else { 0.0 };
    let rd_prev = rd * (0.6 + 0.6 * rng.unit());
    let above_scale = manufacturer && revenue >= 2.0e7 && rng.chance(0.8);
    let high_tech = tech && rng.chance(0.45);
    let trade = rng.chance(0.12);
    let code = format!("91{}MA{:08X}", area_code(district), (i.wrapping_mul(2_654_435_761) ^ rng.next()) as u32);
    let name = format!(
        "杭州{}{}{}有限公司",
        WORDS[rng.below(WORDS.len())],
        WORDS[rng.below(WORDS.len())],
        TRADES[rng.below(TRADES.len())]
    );
    let district_cell = if rng.chance(0.3) {
        // Registers write the district in words as often as not.
        match district {
            "binjiang" => "滨江区".to_string(),
            "xihu" => "西湖区".to_string(),
            "yuhang" => "余杭区".to_string(),
            other => other.to_string(),
        }
    } else {
        district.to_string()
    };
    vec![
        code,
        name,
        district_cell,
        yes(district != "outside_hangzhou" && rng.chance(0.97)),
        size.to_string(),
        format!("{employees}"),
        money(rng, revenue),
        money(rng, rd),
        money(rng, rd_prev),
        yes(manufacturer),
        yes(above_scale),
        yes(above_scale && rng.chance(0.08)),
        yes(tech),
        yes(tech && size != "large" && employees <= 500.0),
        yes(high_tech),
        yes(high_tech && rng.chance(0.15)),
        yes(tech && rng.chance(0.08)),
        yes(tech && rng.chance(0.03)),
        yes(rng.chance(0.01)),
        yes(rng.chance(0.002)),
        yes(trade),
        if trade {
            let premium = rng.log_normal(3.0e4, 1.0);
            money(rng, premium)
        } else {
            "0".into()
        },
        if tech { format!("{}", (rng.log_normal(0.3, 1.5)).floor()) } else { "0".into() },
    ]
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut count: u64 = 1000;
    let (mut seed, mut garbage, mut gbk, mut duplicates) = (1u64, 0.0f64, false, 0.0f64);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => seed = it.next().and_then(|s| s.parse().ok()).expect("--seed N"),
            "--garbage" => garbage = it.next().and_then(|s| s.parse().ok()).expect("--garbage FRACTION"),
            "--gbk" => gbk = true,
            "--duplicates" => duplicates = it.next().and_then(|s| s.parse().ok()).expect("--duplicates FRACTION"),
            n => count = n.parse().expect("usage: gen_register COUNT [--seed N] [--garbage FRACTION] [--duplicates FRACTION] [--gbk]"),
        }
    }
    let mut rng = Rng(seed);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut line = String::new();
    let write_line = |out: &mut BufWriter<_>, line: &str| -> io::Result<()> {
        if gbk {
            out.write_all(&encoding_rs::GBK.encode(line).0)
        } else {
            out.write_all(line.as_bytes())
        }
    };
    write_line(&mut out, &format!("{}\n", HEADER.join(",")))?;
    // The last ids written, for `--duplicates` (a ring, so memory stays flat).
    let mut recent: Vec<String> = Vec::new();
    for i in 0..count {
        let mut cells = company(&mut rng, i);
        if duplicates > 0.0 {
            if !recent.is_empty() && rng.chance(duplicates) {
                cells[0] = recent[rng.below(recent.len())].clone();
            } else if recent.len() < 4096 {
                recent.push(cells[0].clone());
            } else {
                recent[(i % 4096) as usize] = cells[0].clone();
            }
        }
        for cell in cells.iter_mut().skip(2) {
            if rng.chance(0.05) {
                cell.clear();
            } else if garbage > 0.0 && rng.chance(garbage) {
                *cell = ["n/a", "待定", "1.2.3", "-", "#REF!", "约100"][rng.below(6)].to_string();
            }
        }
        line.clear();
        line.push_str(&cells.join(","));
        line.push('\n');
        write_line(&mut out, &line)?;
    }
    out.flush()
}
