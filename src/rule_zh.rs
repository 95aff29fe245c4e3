//! The rule loader's messages in Chinese. The loader (`bundle`, `facts`, `expr`, `money`)
//! and serde write them in English, composed from pieces ("`x + `: expression ends too
//! early"); this reads them back piece by piece into Chinese, so every error the studio
//! and `huiqi build` show has a real Chinese text. A message with no Chinese here gives
//! `None`: `tests` (and `check`'s test over broken rule files) fail on it, so a new
//! English message cannot slip through without one.

/// The templates: `{}` is copied as it stands (an id, a formula, a date), `{*}` is itself
/// a message and is read back too, `{f}` is a field name or a type and is named in Chinese
/// where it has a name. The first template that fits wins, so longer ones come first.
const TEMPLATES: &[(&str, &str)] = &[
    // Pieces that carry a message after them.
    ("fact `{}`: bound `{}`: {*}", "事实 `{}`：界限 `{}`：{*}"),
    ("fact `{}`: {*}", "事实 `{}`：{*}"),
    ("bound `{}`: {*}", "界限 `{}`：{*}"),
    ("derived `{}`: {*}", "派生量 `{}`：{*}"),
    ("item_kind `{}`: {*}", "项目类型 `{}`：{*}"),
    ("stacks_with `{}`: the reason needs both zh and en", "stacks_with `{}`：理由须有中文（zh）和英文（en）"),
    ("stacks_with: unknown benefit `{}`", "stacks_with：没有 id 为 `{}` 的优惠条目"),
    ("stacks_with: `{}` is listed twice", "stacks_with：`{}` 列了两次"),
    ("stacks_with names the benefit itself", "stacks_with 列出了条目自己"),
    ("`{}` is a {f}, but a {f} is needed here", "`{}` 是{f}，此处需要{f}"),
    ("`{}` is more than 10万亿元, beyond any subsidy", "`{}` 超过 10万亿元，不可能是补助金额"),
    ("`{}` should be an amount such as 200万", "`{}` 应为金额，如 200万"),
    ("`{}` should be a rate such as 5%", "`{}` 应为比例，如 5%"),
    ("`{}` is answered per item ({}): the benefit needs `per_item = \"{}\"`, or a fact answered once",
        "`{}` 按项目逐项回答（{}）：该条目须写 `per_item = \"{}\"`，或改用只回答一次的事实"),
    ("`{}` is listed twice", "`{}` 列了两次"),
    ("`{}` is used before it is defined", "`{}` 在定义之前就被使用"),
    ("`{}` is not an option of `{}`", "`{}` 不是 `{}` 的选项"),
    ("`{}` is not a date", "`{}` 不是有效日期"),
    ("{f} `{}` is not a date (YYYY-MM-DD)", "{f} `{}` 不是有效日期（YYYY-MM-DD）"),
    ("`{}`: {*}", "`{}`：{*}"),
    // The catalogue.
    ("the catalogue needs a choice fact `{}`", "事实目录须有一个选择题事实 `{}`"),
    ("needs the option `{}`", "须有选项 `{}`"),
    ("id must be lower_snake_case and unique", "id 须为小写加下划线（lower_snake_case），且不重复"),
    ("id must be lower_snake_case", "id 须为小写加下划线（lower_snake_case）"),
    ("id must be lower-case-with-hyphens", "id 须为小写加连字符（lower-case-with-hyphens）"),
    ("id already used by a fact", "id 已被一个事实使用"),
    ("id used twice", "id 用了两次"),
    ("unknown section `{}`", "没有名为 `{}` 的问卷部分（section）"),
    ("options are required for, and only for, a choice", "选择题必须有选项（options），其他类型不能有"),
    ("label needs both zh and en", "标签（label）须有中文（zh）和英文（en）"),
    ("unknown item_kind `{}` in per_item", "per_item 中没有名为 `{}` 的项目类型（item_kind）"),
    ("unknown item_kind `{}`", "没有名为 `{}` 的项目类型（item_kind）"),
    ("first_screen {} is also `{}`'s", "first_screen 序号 {} 已被 `{}` 使用"),
    // Formulas.
    ("unterminated string", "引号没有闭合"),
    ("unexpected character `{}`", "出现了不认识的字符 `{}`"),
    ("expected `[` after `in`", "`in` 之后应为 `[`"),
    ("expected a quoted option in the `in [...]` list", "`in [...]` 列表中应为带引号的选项"),
    ("expected `,` or `]`", "此处应为 `,` 或 `]`"),
    ("expected `)`", "此处应为 `)`"),
    ("expression ends too early", "公式没写完"),
    ("empty expression", "公式为空"),
    ("longer than {} words and symbols", "公式超过 {} 个词和符号"),
    ("more than {} terms once its derived quantities are written out", "展开派生量后超过 {} 项"),
    ("unexpected {}", "此处不应出现 {}"),
    ("a quoted text (\"{}\") can only be compared with a choice", "带引号的文字（\"{}\"）只能与选择题比较"),
    ("unknown fact `{}`", "没有名为 `{}` 的事实（问题）"),
    ("cannot negate a {f}", "不能对{f}取“非”"),
    ("`in [...]` needs a choice, found a {f}", "`in [...]` 需要选择题，这里是{f}"),
    ("cannot compare a {f} with the text \"{}\"", "不能把{f}与文字 \"{}\" 比较"),
    ("cannot compare a {f} with a {f} using `{}`", "不能用 `{}` 比较{f}与{f}"),
    ("cannot add or subtract a {f} and a {f}", "不能把{f}与{f}相加或相减"),
    ("cannot multiply a {f} by a {f}", "不能把{f}乘以{f}"),
    ("cannot divide a {f} by a {f}", "不能把{f}除以{f}"),
    ("unknown operator `{}`", "不认识的运算符 `{}`"),
    ("{} needs a {f}, found a {f}", "{} 需要{f}，这里是{f}"),
    // Numbers.
    ("empty value", "值为空"),
    ("“{}” is not a number", "“{}”不是数字"),
    ("“{}” is too large", "“{}”太大"),
    // Documents.
    ("document id used twice", "文件 id 用了两次"),
    ("benefit id used twice", "优惠条目 id 用了两次"),
    ("unknown district `{}`", "没有名为 `{}` 的区"),
    ("a district document needs `district`", "区级文件须写明 `district`（哪个区）"),
    ("only a district document has `district`", "只有区级文件才写 `district`"),
    ("valid_from is missing (write from_not_printed = true if the text prints no start)", "缺少 valid_from（原文未印起始日时写 from_not_printed = true）"),
    ("without a validity_clause, notes must say where the dates come from", "没有 validity_clause 时，notes 须说明日期从何而来"),
    ("valid_from {} is after valid_to {}", "valid_from {} 晚于 valid_to {}"),
    ("{f} needs the verbatim `clause` that states it and its seed `line`", "{f} 须有写明它的原文 `clause` 及其在种子文本中的行号 `line`"),
    ("{f} needs `from` or `to`: omit it where the text states no period", "{f} 须有 `from` 或 `to`；原文未写期间时不要写这一项"),
    ("{f} starts {}, after it ends {}", "{f} 起始于 {}，晚于其结束日 {}"),
    ("{f} is missing", "缺少 {f}"),
    // Benefits.
    ("reading needs both zh and en", "解读（reading）须有中文（zh）和英文（en）"),
    ("source_line is missing", "缺少 source_line（条文在种子文本中的行号）"),
    ("multi_year needs `years` (2 or more)", "multi_year 须写 `years`（2 或以上）"),
    ("`years` goes only with multi_year", "`years` 只能与 multi_year 一起用"),
    ("tiers are empty", "分档（tiers）为空"),
    ("cost_share province + city + district must be 100%", "cost_share 中省、市、区分担比例之和须为 100%"),
    ("period_clause (the verbatim words of its own period) is empty", "period_clause（条目自身期间的原文）为空"),
    ("validity to {} ends after the document's {}: only a benefit with its own stated period (period_clause) may",
        "有效期至 {}，晚于文件的截止日 {}：只有写明自身期间（period_clause）的条目才可以"),
    ("validity {} to {} must be a non-empty part of the document's {} to {}", "有效期 {} 至 {} 须落在文件有效期 {} 至 {} 之内，且不为空"),
    ("materials needs the verbatim clause that names them and its seed line", "申报材料（materials）须有列出这些材料的原文条款及其在种子文本中的行号"),
    ("materials.list is empty: name each material the clause lists", "materials.list 为空：请逐项写出条款列出的每种材料"),
    ("each material needs both zh and en", "每种材料都须有中文（zh）和英文（en）名称"),
    ("per_item is set, but no condition or amount reads a fact of that item kind", "写了 per_item，但没有任何条件或金额用到该项目类型的事实"),
    ("unknown benefit `{}`", "没有 id 为 `{}` 的优惠条目"),
    ("a non-duplication group needs at least two benefits", "不重复享受组至少要有两项优惠"),
    ("left_out for a file with no document", "left_out 所在的文件没有 [document]"),
    ("not coverage data: {*}", "不是覆盖数据：{*}"),
    ("not a rule bundle: {*}", "不是规则包：{*}"),
    // serde: the shape of a rule file.
    ("missing field `{}`", "缺少字段 `{}`"),
    ("unknown field `{}`, expected one of {}", "未知字段 `{}`，可用的字段为：{}"),
    ("unknown field `{}`, expected {}", "未知字段 `{}`，可用的字段为：{}"),
    ("unknown field `{}`, there are no fields", "未知字段 `{}`，此处不能有字段"),
    ("unknown variant `{}`, expected one of {}", "`{}` 不是可选的写法，可选：{}"),
    ("unknown variant `{}`, expected {}", "`{}` 不是可选的写法，应为：{}"),
    ("unknown variant `{}`, there are no variants", "`{}` 不是可选的写法"),
    ("duplicate field `{}`", "字段 `{}` 重复"),
    ("invalid type: {f}, expected {f}", "类型不对：这里是{f}，应为{f}"),
    ("invalid value: {f}, expected {f}", "取值不对：这里是{f}，应为{f}"),
    ("invalid length {}, expected {f}", "长度不对（{}），应为{f}"),
    ("data did not match any variant of untagged enum {}", "写法不符合任何一种允许的形式（{}）"),
    ("missing field `{}`", "缺少字段 `{}`"),
    ("expected a string", "应为文字"),
    // serde_json: the bundle or the answers as JSON text.
    ("EOF while parsing a value", "JSON 没写完（缺少值）"),
    ("EOF while parsing a string", "JSON 没写完（字符串没有闭合）"),
    ("EOF while parsing an object", "JSON 没写完（对象没有闭合）"),
    ("EOF while parsing a list", "JSON 没写完（数组没有闭合）"),
    ("expected value", "此处应为一个值"),
    ("expected `:`", "此处应为 `:`"),
    ("expected `,` or `}`", "此处应为 `,` 或 `}`"),
    ("expected ident", "此处应为 true、false 或 null"),
    ("trailing characters", "JSON 之后还有多余的字符"),
    ("trailing comma", "多了一个逗号"),
    ("key must be a string", "键须为带引号的字符串"),
    ("invalid escape", "无效的转义字符"),
    ("invalid number", "无效的数字"),
    ("number out of range", "数字超出范围"),
    ("invalid unicode code point", "无效的 Unicode 码位"),
    ("control character (\\u0000-\\u001F) found while parsing a string", "字符串中有控制字符"),
    ("recursion limit exceeded", "嵌套层数太多"),
    ("lone leading surrogate in hex escape", "十六进制转义中有孤立的代理项"),
];

/// Field names, types and serde's words for what it found or expected.
const WORDS: &[(&str, &str)] = &[
    ("yes/no", "是/否"),
    ("money", "金额"),
    ("count", "数量"),
    ("percentage", "比例"),
    ("number", "数字"),
    ("date", "日期"),
    ("choice", "选择题"),
    ("clause (the verbatim quote)", "clause（原文引文）"),
    ("performance", "考核期（performance）"),
    ("application", "申报期（application）"),
    ("performance.from", "考核期起始日（performance.from）"),
    ("performance.to", "考核期截止日（performance.to）"),
    ("application.from", "申报期起始日（application.from）"),
    ("application.to", "申报期截止日（application.to）"),
    ("valid_from", "起始日（valid_from）"),
    ("valid_to", "截止日（valid_to）"),
    ("a string", "文字"),
    ("a borrowed string", "文字"),
    ("a sequence", "数组（[…]）"),
    ("a map", "表（{…}）"),
    ("a boolean", "true 或 false"),
    ("a string or a table", "文字或表"),
    ("an object of answers", "答案对象（{…}）"),
    ("an answer", "一个答案"),
    ("map", "表（{…}）"),
    ("sequence", "数组（[…]）"),
    ("null", "空值"),
    ("unit value", "空值"),
    ("internally tagged enum AmountSpec", "金额（amount，含 kind）"),
    ("u8", "非负整数"),
    ("u16", "非负整数"),
    ("u32", "非负整数"),
    ("u64", "非负整数"),
    ("usize", "非负整数"),
    ("i32", "整数"),
    ("i64", "整数"),
    ("f64", "数字"),
];

/// A field name, a type, or what serde found or expected, named in Chinese.
fn word(text: &str) -> String {
    if let Some((_, zh)) = WORDS.iter().find(|(en, _)| *en == text) {
        return zh.to_string();
    }
    // serde's "string \"x\"", "integer `5`", "boolean `true`", "floating point `1.5`".
    for (en, zh) in [("string ", "文字 "), ("integer ", "整数 "), ("boolean ", "布尔值 "), ("floating point ", "小数 "), ("struct ", "表 "), ("a ", "")] {
        if let Some(rest) = text.strip_prefix(en) {
            return format!("{zh}{rest}");
        }
    }
    text.to_string()
}

/// One placeholder's kind in a template.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Copy,
    Message,
    Word,
}

/// The template's literal pieces and its slots: "`{}`: {*}" → ["`", "`: ", ""], [Copy, Message].
fn split(template: &str) -> (Vec<&str>, Vec<Slot>) {
    let (mut pieces, mut slots, mut rest) = (Vec::new(), Vec::new(), template);
    loop {
        let next = ["{}", "{*}", "{f}"].iter().filter_map(|p| rest.find(p).map(|i| (i, *p))).min();
        let Some((i, p)) = next else { break };
        pieces.push(&rest[..i]);
        slots.push(match p {
            "{*}" => Slot::Message,
            "{f}" => Slot::Word,
            _ => Slot::Copy,
        });
        rest = &rest[i + p.len()..];
    }
    pieces.push(rest);
    (pieces, slots)
}

/// The slot values of `message` under the template's pieces, or `None` if it does not fit.
fn fit<'a>(message: &'a str, pieces: &[&str]) -> Option<Vec<&'a str>> {
    let mut rest = message.strip_prefix(pieces[0])?;
    let mut values = Vec::new();
    for (k, piece) in pieces.iter().enumerate().skip(1) {
        if k == pieces.len() - 1 {
            values.push(rest.strip_suffix(piece)?);
            return Some(values);
        }
        let i = rest.find(piece).filter(|_| !piece.is_empty())?;
        values.push(&rest[..i]);
        rest = &rest[i + piece.len()..];
    }
    (rest.is_empty()).then_some(values)
}

/// The message in Chinese, or `None` where some piece of it has no Chinese here.
pub fn zh(message: &str) -> Option<String> {
    let message = message.trim();
    // serde_json's place goes last: "… at line 3 column 7".
    if let Some((head, place)) = message.rsplit_once(" at line ") {
        if let Some((line, column)) = place.split_once(" column ") {
            if line.parse::<u32>().is_ok() && column.parse::<u32>().is_ok() {
                return zh(head).map(|z| format!("{z}（第 {line} 行第 {column} 列）"));
            }
        }
    }
    'templates: for (en, zh_template) in TEMPLATES {
        let (pieces, slots) = split(en);
        let Some(values) = fit(message, &pieces) else { continue };
        let (zh_pieces, zh_slots) = split(zh_template);
        // The Chinese may put the slots of one kind in another order only by kind: the
        // n-th slot of a kind in Chinese is the n-th of that kind in English.
        let mut out = String::from(zh_pieces[0]);
        let mut used = [0usize; 3];
        for (k, slot) in zh_slots.iter().enumerate() {
            let kind = *slot as usize;
            let Some(at) = slots.iter().enumerate().filter(|(_, s)| **s == *slot).nth(used[kind]).map(|(i, _)| i) else { continue 'templates };
            used[kind] += 1;
            let value = values[at];
            match slot {
                Slot::Copy => out.push_str(value),
                Slot::Word => out.push_str(&word(value)),
                Slot::Message => match zh(value) {
                    Some(z) => out.push_str(&z),
                    None => continue 'templates,
                },
            }
            out.push_str(zh_pieces[k + 1]);
        }
        return Some(out);
    }
    None
}

/// A serde or serde_json message in Chinese; where it has none, the English with a
/// Chinese lead, so the text is never English alone.
pub fn serde_zh(message: &str) -> String {
    zh(message).unwrap_or_else(|| format!("格式不对（原文：{message}）"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_read_back_piece_by_piece() {
        assert_eq!(zh("`rd_spend + `: expression ends too early").as_deref(), Some("`rd_spend + `：公式没写完"));
        // A token is named as the formula writes it, in either language.
        let err = crate::expr::compile("(rd_spend >= 1万))", &crate::bundle::Bundle::embedded().unwrap().catalogue, &[]).unwrap_err();
        assert_eq!(zh(&format!("`x`: {err}")).as_deref(), Some("`x`：此处不应出现 `)`"));
        assert_eq!(zh("fact `x`: bound `abc`: “abc” is not a number").as_deref(), Some("事实 `x`：界限 `abc`：“abc”不是数字"));
        assert_eq!(zh("`spend > 5` is a yes/no, but a money is needed here").as_deref(), Some("`spend > 5` 是是/否，此处需要金额"));
        assert_eq!(zh("cannot compare a money with a date using `>`").as_deref(), Some("不能用 `>` 比较金额与日期"));
        assert_eq!(
            zh("unknown field `frequncy`, expected one of `id`, `article` at line 1 column 40").as_deref(),
            Some("未知字段 `frequncy`，可用的字段为：`id`, `article`（第 1 行第 40 列）")
        );
        assert_eq!(zh("invalid type: integer `5`, expected a string").as_deref(), Some("类型不对：这里是整数 `5`，应为文字"));
        assert_eq!(zh("performance.to `2025-02-30` is not a date (YYYY-MM-DD)").as_deref(), Some("考核期截止日（performance.to） `2025-02-30` 不是有效日期（YYYY-MM-DD）"));
        assert_eq!(zh("title.zh is missing").as_deref(), Some("缺少 title.zh"));
        assert_eq!(zh("something nobody wrote a Chinese text for"), None);
        // A known lead with an unknown message after it is not half-translated.
        assert_eq!(zh("`x`: something nobody wrote a Chinese text for"), None);
    }
}
