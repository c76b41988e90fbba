/// The calibration cases: each builtin and operator at a small input (inside a loop over
/// 1,000 indices, so per-evaluation overhead is amortised the way a real program's is) and
/// at a maximal one (the longest strings, largest lists and worst patterns that fit the
/// default 8 MiB memory limit and 1 MiB JSON string limit).
struct Case {
    var name: String
    var expr: String
    /// JSON object of input bindings.
    var input: String
}

enum Cases {
    static func str(_ n: Int, _ unit: String = "a") -> String { "\"" + String(repeating: unit, count: n) + "\"" }
    static func ints(_ n: Int) -> String { "[" + (0..<n).map(String.init).joined(separator: ",") + "]" }
    static func strings(_ n: Int, width: Int) -> String {
        "[" + (0..<n).map { "\"" + String(repeating: "x", count: max(0, width - String($0).count)) + "\($0)\"" }.joined(separator: ",") + "]"
    }
    static func map(_ n: Int) -> String { "{" + (0..<n).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}" }

    static let loop = ints(1_000)
    static let bigString = 1 << 20 - 64        // the JSON reader's 1 MiB string limit
    static let bigList = 100_000               // ints: ~3.2 MB of heap, under 8 MiB

    /// Small: `r.all(i, EXPR)` with `s`, `t`, `l`, `m` small.
    static func small(_ name: String, _ expr: String) -> Case {
        Case(name: name + " (small)", expr: "r.all(i, \(expr))",
             input: #"{"r": \#(loop), "s": "hello world", "t": "wor", "l": [1,2,3,4,5], "m": {"a": 1, "b": 2}, "p": "^h.*d$", "ls": ["a","b","c"], "d": 2.5, "x": 7, "ip": "192.168.0.1", "ts": "2024-01-02T03:04:05Z"}"#)
    }

    static func big(_ name: String, _ expr: String, _ bindings: [(String, String)]) -> Case {
        Case(name: name + " (max)", expr: expr,
             input: "{" + bindings.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ",") + "}")
    }

    static var all: [Case] {
        let S = str(bigString), L = ints(bigList)
        let nonAscii = str(bigString / 3, "é")
        return [
            // Operators.
            small("int + - * / %", "(i + x) * 2 - i / 3 + i % 7 >= 0"),
            small("double arithmetic", "d * double(i) + d / 3.0 - 1.0 > -1e9"),
            small("comparisons", "i < 1000 && i <= 1000 && i != -1 && !(i > 1000)"),
            small("string ==", "s == 'hello world'"),
            small("string +", "size(s + t) == 14"),
            small("list +", "size(l + l) == 10"),
            small("in list", "3 in l"),
            small("in map", "'a' in m"),
            small("index list/map", "l[2] == 3 && m['a'] == 1"),
            small("ternary / has", "has(m.a) ? true : false"),
            big("string ==", "s == s + ''", [("s", S)]),
            big("string +", "size(s + s) > 0", [("s", str(bigString / 2))]),
            big("list +", "size(l + l) > 0", [("l", ints(bigList / 2))]),
            big("in list", "-1 in l", [("l", L)]),
            big("list ==", "l == l + []", [("l", ints(bigList / 2))]),
            big("in map", "'zz' in m", [("m", map(50_000))]),
            big("map literal from list", "size(l.map(x, {x: x})) > 0", [("l", ints(20_000))]),
            // Core functions.
            small("size", "size(s) == 11 && size(l) == 5"),
            small("contains", "s.contains(t)"),
            small("startsWith/endsWith", "s.startsWith('hel') && s.endsWith('rld')"),
            small("type/dyn", "type(dyn(i)) == int"),
            big("size(string)", "size(s) > 0", [("s", S)]),
            big("size(string) non-ASCII", "size(s) > 0", [("s", nonAscii)]),
            big("contains", "s.contains('ab')", [("s", S)]),
            big("contains long needle", "s.contains(t)", [("s", S), ("t", str(4_000) )]),
            big("startsWith", "s.startsWith(t)", [("s", S), ("t", str(bigString / 2))]),
            big("endsWith", "s.endsWith(t)", [("s", S), ("t", str(bigString / 2))]),
            // Regular expressions: each matcher, constant and from input.
            small("matches const DFA", "s.matches('^h.*d$')"),
            small("matches dynamic", "s.matches(p)"),
            big("matches const DFA", "s.matches('^a*b$')", [("s", S)]),
            big("matches const set-NFA", "s.matches('(a|b)*a(a|b){20}c')", [("s", S)]),
            big("matches const Pike [a-z]{1,1000}z", "s.matches('[a-z]{1,1000}z')", [("s", str(4_000))]),
            big("matches const Pike (x|a){1000}", "s.matches('(x|a){1000}z')", [("s", str(4_000))]),
            big("matches dynamic set-NFA", "s.matches(p)", [("s", S), ("p", "\"(a|b)*a(a|b){20}c\"")]),
            big("matches dynamic Pike", "s.matches(p)", [("s", str(4_000)), ("p", "\"[a-z]{1,1000}z\"")]),
            big("matches dynamic Pike nested", "s.matches(p)", [("s", str(4_000)), ("p", "\"((a|b){100}){10}z\"")]),
            big("matches dynamic compile", "l.all(i, s.matches(p))", [("l", ints(100)), ("s", "\"b\""), ("p", "\"(a|b|c|d){1,200}z\"")]),
            // Strings extension.
            small("indexOf/lastIndexOf", "s.indexOf('o') == 4 && s.lastIndexOf('o') == 7"),
            small("replace", "s.replace('o', '0') != s"),
            small("split/join", "s.split(' ').join('-') != s"),
            small("lower/upperAscii", "s.upperAscii().lowerAscii() == s"),
            small("trim", "(' ' + s + ' ').trim() == s"),
            small("substring/charAt", "s.substring(1, 4) == 'ell' && s.charAt(0) == 'h'"),
            small("reverse", "s.reverse() != s"),
            small("format", "'%s=%d'.format([s, i]) != ''"),
            small("strings.quote", "strings.quote(s) != s"),
            big("indexOf", "s.indexOf('b') < 0", [("s", S)]),
            big("indexOf long needle", "s.indexOf(t) < 0", [("s", S), ("t", "\"" + String(repeating: "a", count: 3_000) + "b\"")]),
            big("lastIndexOf", "s.lastIndexOf('b') < 0", [("s", S)]),
            big("replace", "size(s.replace('a', 'bb')) > 0", [("s", str(bigString / 2))]),
            big("split", "size(s.split('a')) > 0", [("s", str(bigString / 8))]),
            big("join", "size(l.join(',')) > 0", [("l", strings(50_000, width: 8))]),
            big("lower/upperAscii", "size(s.upperAscii()) > 0", [("s", S)]),
            big("trim", "size(s.trim()) > 0", [("s", S)]),
            big("substring", "size(s.substring(1, 500000)) > 0", [("s", S)]),
            big("substring non-ASCII", "size(s.substring(1, 300000)) > 0", [("s", nonAscii)]),
            big("charAt", "s.charAt(1000000) != ''", [("s", S)]),
            big("reverse", "size(s.reverse()) > 0", [("s", S)]),
            big("format", "size('%s'.format([s])) > 0", [("s", S)]),
            big("strings.quote", "size(strings.quote(s)) > 0", [("s", S)]),
            // Encoders and conversions.
            small("base64", "base64.decode(base64.encode(bytes(s))) == bytes(s)"),
            small("string/int/double/uint", "int(string(i)) == i && double(string(d)) == d && uint(i) >= 0u"),
            small("timestamp/duration", "timestamp(ts) + duration('1h') > timestamp(ts)"),
            big("base64.encode", "size(base64.encode(bytes(s))) > 0", [("s", str(bigString / 2))]),
            big("base64.decode", "size(base64.decode(s)) > 0", [("s", str(bigString / 2, "A"))]),
            big("bytes(string)", "size(bytes(s)) > 0", [("s", S)]),
            // Comprehensions and math.
            small("map/filter", "l.map(x, x * 2).filter(x, x > 4).size() == 3"),
            small("exists/exists_one", "l.exists(x, x == 3) && l.exists_one(x, x == 3)"),
            small("math", "math.abs(-i) == i && math.greatest(l) == 5 && math.sqrt(4.0) == 2.0"),
            big("map", "size(l.map(x, x + 1)) > 0", [("l", ints(bigList / 2))]),
            big("filter", "size(l.filter(x, x % 2 == 0)) > 0", [("l", L)]),
            big("all", "l.all(x, x >= 0)", [("l", L)]),
            big("math.greatest", "math.greatest(l) > 0", [("l", L)]),
            big("sort-free list equality strings", "l == l", [("l", strings(50_000, width: 8))]),
            // Network extension.
            small("ip/cidr", "cidr('192.168.0.0/16').containsIP(ip(ip)) && isIP(ip)"),
        ]
    }
}
