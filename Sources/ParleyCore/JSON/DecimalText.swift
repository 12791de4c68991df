/// An exact decimal number held as sign, digits and scale: `"-12.50"` is (-, 1250, scale 2).
/// Used for money and other numbers that must compare exactly; no binary floating point is involved.
public struct DecimalText: Sendable, Hashable, CustomStringConvertible {
    public var negative: Bool
    /// Digits without leading zeros ("0" for zero).
    public var digits: String
    /// How many of `digits` are after the decimal point.
    public var scale: Int

    /// Parses JSON-style number text, including exponents (`1.5e3`). Returns nil for anything else.
    public init?(_ text: String) {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        var exponent = 0
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(body[body.index(after: e)...]), abs(value) < 400 else { return nil }
            exponent = value
            body = body[..<e]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let integerPart = parts.first else { return nil }
        let fractionPart = parts.count == 2 ? parts[1] : ""
        guard !(integerPart.isEmpty && fractionPart.isEmpty),
            integerPart.allSatisfy({ $0.isASCII && $0.isNumber }),
            fractionPart.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var allDigits = String(integerPart) + String(fractionPart)
        var scale = fractionPart.count - exponent
        if scale < 0 {
            allDigits += String(repeating: "0", count: -scale)
            scale = 0
        }
        self.init(negative: negative, rawDigits: allDigits, scale: scale)
    }

    init(negative: Bool, rawDigits: String, scale: Int) {
        var digits = Substring(rawDigits)
        var scale = scale
        // Strip trailing fractional zeros so 1.50 and 1.5 are the same value.
        while scale > 0, digits.last == "0" {
            digits = digits.dropLast()
            scale -= 1
        }
        // Pad so there is at least one digit before the point position.
        var padded = String(digits)
        if padded.count <= scale { padded = String(repeating: "0", count: scale - padded.count + 1) + padded }
        // Strip leading zeros that stand before the integer part.
        while padded.count - scale > 1, padded.first == "0" { padded.removeFirst() }
        self.negative = negative && padded.contains(where: { $0 != "0" })
        self.digits = padded
        self.scale = scale
    }

    /// Canonical text: no exponent, no trailing fractional zeros, `-0` as `0`.
    public var description: String {
        let integerCount = digits.count - scale
        let integer = digits.prefix(integerCount)
        let fraction = digits.suffix(scale)
        return (negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// The value when it has no fractional part and fits 64 bits.
    public var integerValue: Int64? {
        guard scale == 0, let magnitude = Int64(digits) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// Multiplies by 10^power (power may be negative) exactly.
    public func shifted(by power: Int) -> DecimalText {
        if power >= 0 {
            let moved = min(power, scale)
            let extraZeros = power - moved
            return DecimalText(negative: negative, rawDigits: digits + String(repeating: "0", count: extraZeros), scale: scale - moved)
        }
        return DecimalText(negative: negative, rawDigits: digits, scale: scale - power)
    }

    /// Rounds half away from zero to `places` fractional digits.
    public func rounded(toPlaces places: Int) -> DecimalText {
        guard scale > places else { return self }
        let drop = scale - places
        let kept = String(digits.dropLast(drop))
        let firstDropped = digits.dropFirst(digits.count - drop).first ?? "0"
        var result = kept.isEmpty ? "0" : kept
        if firstDropped >= "5" { result = Self.incremented(result) }
        return DecimalText(negative: negative, rawDigits: result, scale: places)
    }

    private static func incremented(_ digits: String) -> String {
        var characters = Array(digits)
        var position = characters.count - 1
        while position >= 0 {
            if characters[position] == "9" {
                characters[position] = "0"
                position -= 1
            } else {
                characters[position] = Character(String((characters[position].wholeNumberValue ?? 0) + 1))
                return String(characters)
            }
        }
        return "1" + String(characters)
    }
}
