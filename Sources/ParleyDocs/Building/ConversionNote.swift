import ParleyCore

/// How a value changes on its way from the source side to the target side, in the reader's terms.
/// Direction matters for scales and enum maps (`× 100` one way is `÷ 100` the other); the country and
/// negation conversions read the same both ways.
enum ConversionNote {
    /// - Parameters:
    ///   - sourceValues: the source side's enum values in schema order, so maps list in a stable order.
    ///   - targetType: rounding only happens when the target stores integers.
    static func describe(
        _ conversion: Conversion, from source: Side, sourceValues: [String]?, targetType: PropertyType
    ) -> String? {
        switch conversion {
        case .none: return nil
        case .negate, .countryAlpha2ToAlpha3: return conversion.summary
        case .scale(let power):
            // The stored power converts left to right; read from the right it divides instead.
            let exponent = source == .left ? power : -power
            guard exponent != 0 else { return nil }
            let factor = "1" + String(repeating: "0", count: abs(exponent))
            let operation = exponent > 0 ? "× \(factor)" : "÷ \(factor)"
            return targetType == .integer ? operation + ", rounded" : operation
        case .enumMap(let map):
            let pairs = source == .left ? map.map { ($0.key, $0.value) } : map.map { ($0.value, $0.key) }
            guard !pairs.isEmpty else { return nil }
            return "enum map " + ordered(pairs, by: sourceValues).map { "\($0.0)→\($0.1)" }.joined(separator: ", ")
        }
    }

    /// Source values in the schema's order first, any others after them alphabetically; a dictionary's
    /// own order would change from run to run and break reproducible documents.
    static func ordered(_ pairs: [(String, String)], by sourceValues: [String]?) -> [(String, String)] {
        let rank = Dictionary((sourceValues ?? []).enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        return pairs.sorted { a, b in
            switch (rank[a.0], rank[b.0]) {
            case let (x?, y?): return x != y ? x < y : a.1 < b.1
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.0 != b.0 ? a.0 < b.0 : a.1 < b.1
            }
        }
    }
}
