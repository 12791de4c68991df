/// An exact decimal number held as sign, digits and scale: `"-12.50"` is (-, 1250, scale 2).
/// Used for money and other numbers that must compare exactly; no binary floating point is involved.
public struct DecimalText: Sendable, Hashable, CustomStringConvertible {
    public var negative: Bool
    /// Digits without leading zeros ("0" for zero).
    public var digits: String
    /// How many of `digits` are after the decimal point.
    public var scale: Int

    /// Parses JSON-style number text, including exponents (`1.5e3`). Returns nil for anything else.
    /// Works on the UTF-8 bytes: every number of every record read passes through here (canonical values,
    /// shadows read back from the state), and character-by-character parsing was a visible share of a pass.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        var start = 0
        var negative = false
        if let sign = bytes.first, sign == Self.minus || sign == Self.plus {
            negative = sign == Self.minus
            start = 1
        }
        var end = bytes.count
        var exponent = 0
        if let e = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)), abs(value) < 400 else { return nil }
            exponent = value
            end = e
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(end - start + max(0, exponent))
        var fractionCount = 0
        var afterPoint = false
        for byte in bytes[start..<end] {
            if byte == UInt8(ascii: ".") {
                if afterPoint { return nil }
                afterPoint = true
            } else if byte >= Self.zero && byte <= UInt8(ascii: "9") {
                digits.append(byte)
                if afterPoint { fractionCount += 1 }
            } else {
                return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        var scale = fractionCount - exponent
        if scale < 0 {
            digits.append(contentsOf: repeatElement(Self.zero, count: -scale))
            scale = 0
        }
        self.init(negative: negative, digitBytes: digits, scale: scale)
    }

    init(negative: Bool, rawDigits: String, scale: Int) {
        self.init(negative: negative, digitBytes: Array(rawDigits.utf8), scale: scale)
    }

    /// `digitBytes`: ASCII digits, possibly with leading zeros and trailing fractional zeros.
    private init(negative: Bool, digitBytes: [UInt8], scale: Int) {
        var digits = digitBytes[...]
        var scale = scale
        // Strip trailing fractional zeros so 1.50 and 1.5 are the same value.
        while scale > 0, digits.last == Self.zero {
            digits = digits.dropLast()
            scale -= 1
        }
        // Pad so there is at least one digit before the point position.
        var padded = Array(repeatElement(Self.zero, count: max(0, scale - digits.count + 1)))
        padded.append(contentsOf: digits)
        // Strip leading zeros that stand before the integer part.
        var first = 0
        while padded.count - first - scale > 1, padded[first] == Self.zero { first += 1 }
        let kept = padded[first...]
        self.negative = negative && kept.contains(where: { $0 != Self.zero })
        self.digits = String(decoding: kept, as: UTF8.self)
        self.scale = scale
    }

    private static let zero = UInt8(ascii: "0")
    private static let minus = UInt8(ascii: "-")
    private static let plus = UInt8(ascii: "+")

    /// Canonical text: no exponent, no trailing fractional zeros, `-0` as `0`.
    public var description: String {
        // `digits` is ASCII, so its UTF-8 view counts and slices in constant time.
        let bytes = digits.utf8
        let integerCount = bytes.count - scale
        var text = negative ? "-" : ""
        text.reserveCapacity(bytes.count + 2)
        text += Substring(bytes.prefix(integerCount))
        if scale > 0 {
            text += "."
            text += Substring(bytes.suffix(scale))
        }
        return text
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
