/// Mutates configuration text the ways a hurried edit, a bad template or a hostile file would: deleted,
/// duplicated, swapped, re-indented and renamed lines, values of the wrong type, random bytes, deep
/// nesting, huge values, aliases, truncation.
struct ConfigMutator {
    var random: SeededRandom

    static let wrongValues = [
        "[]", "{}", "42", "-1", "0", "true", "null", "~", "\"\"", "1e400", "0x10", ".inf", "-.nan", "!!binary aGVsbG8=",
        "[a, [b, {c: d}]]", "{url: x}", "'quoted'", "|\n  block\n  text", "${UNSET_VARIABLE}", "${BROKEN", "${1BAD}", "$$literal",
        "99999999999999999999999999", "1s", "-5s", "0.0000001", "\"\\u0000\"", "erp.", ".customer", "erp.customer.extra", "*undefined",
        "&anchor value", "!!python/object:os.system", "? complex key", "- a\n- b", "2026-01-01", "yes", "off",
    ]

    static let words = [
        "name", "left", "right", "erp", "pms", "url", "token", "flows", "systems", "properties", "merge", "direction", "deletes",
        "archive", "onboarding", "defaults", "priority", "convert", "reference", "state", "pollInterval", "server", "breaker",
        "normalize", "ignoreCase", "owner", "connector", "timeout", "concurrency", "nme", "Properties", "flow", "", " ", "-",
    ]

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }

    /// One to three mutations of `text`, and what was done (for a failing case's message).
    mutating func mutate(_ text: String) -> (text: String, steps: [String]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var steps: [String] = []
        for _ in 0..<int(1..<4) {
            guard !lines.isEmpty else { break }
            let index = int(0..<lines.count)
            switch int(0..<14) {
            case 0:
                steps.append("delete line \(index + 1)")
                lines.remove(at: index)
            case 1:
                steps.append("duplicate line \(index + 1)")
                lines.insert(lines[index], at: index)
            case 2:
                let other = int(0..<lines.count)
                steps.append("swap lines \(index + 1) and \(other + 1)")
                lines.swapAt(index, other)
            case 3:
                steps.append("re-indent line \(index + 1)")
                lines[index] = int(0..<2) == 0 ? String(lines[index].drop { $0 == " " }) : String(repeating: " ", count: int(1..<9)) + lines[index]
            case 4, 5:
                guard let colon = lines[index].firstIndex(of: ":") else { continue }
                let indent = lines[index].prefix { $0 == " " || $0 == "-" }
                let word = pick(Self.words)
                steps.append("rename the key on line \(index + 1) to '\(word)'")
                lines[index] = indent + word + lines[index][colon...]
            case 6, 7:
                guard let colon = lines[index].firstIndex(of: ":") else { continue }
                let value = pick(Self.wrongValues)
                steps.append("set the value on line \(index + 1) to \(value.debugDescription)")
                lines[index] = lines[index][...colon] + " " + value
            case 8:
                let bytes = (0..<int(1..<12)).map { _ in UInt8(truncatingIfNeeded: int(0..<256)) }
                let noise = String(decoding: bytes, as: UTF8.self)
                let cut = lines[index].index(lines[index].startIndex, offsetBy: int(0..<(lines[index].count + 1)))
                steps.append("insert \(noise.debugDescription) into line \(index + 1)")
                lines[index].insert(contentsOf: noise, at: cut)
            case 9:
                guard let colon = lines[index].firstIndex(of: ":") else { continue }
                let depth = pick([10, 200, 999, 1_001, 5_000])
                let nested = int(0..<2) == 0
                    ? String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth)
                    : String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth)
                steps.append("nest the value on line \(index + 1) \(depth) deep")
                lines[index] = lines[index][...colon] + " " + nested
            case 10:
                guard let colon = lines[index].firstIndex(of: ":") else { continue }
                let size = pick([10_000, 200_000])
                steps.append("set the value on line \(index + 1) to \(size) characters")
                lines[index] = lines[index][...colon] + " " + String(repeating: pick(["x", "é", "9", "$$"]), count: size)
            case 11:
                guard let colon = lines[index].firstIndex(of: ":") else { continue }
                let count = pick([1_000, 5_000])
                steps.append("set the value on line \(index + 1) to a list of \(count) items")
                lines[index] = lines[index][...colon] + " [" + Array(repeating: "x", count: count).joined(separator: ", ") + "]"
            case 12:
                let cut = int(0..<lines.count)
                steps.append("truncate after line \(cut)")
                lines = Array(lines.prefix(cut))
            default:
                guard let colon = lines[index].firstIndex(of: ":") else { continue }
                steps.append("anchor the value on line \(index + 1) and alias it elsewhere")
                lines[index] = lines[index][...colon] + " &a1 " + lines[index][lines[index].index(after: colon)...]
                let other = int(0..<lines.count)
                if let otherColon = lines[other].firstIndex(of: ":") { lines[other] = lines[other][...otherColon] + " *a1" }
            }
        }
        return (lines.joined(separator: "\n"), steps)
    }
}
