/// Exact decimal arithmetic on JSON number text: rounding to a fixed number of fraction digits,
/// half-up (ties away from zero), without ever going through binary floating point.
enum DecimalText {
    enum Failure: Error, Equatable {
        case notANumber
        case tooLarge(maximumIntegerDigits: Int)
    }

    /// Rounds `text` (JSON number syntax) to `scale` fraction digits and renders it with exactly that many,
    /// e.g. `rounded("1234.565", scale: 2)` is `"1234.57"`, `rounded("1e3", scale: 2)` is `"1000.00"`.
    static func rounded(_ text: String, scale: Int, maximumIntegerDigits: Int) throws(Failure) -> String {
        var characters = Substring(text)
        let negative = characters.first == "-"
        if negative { characters = characters.dropFirst() }
        var exponent = 0
        if let exponentIndex = characters.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let exponentText = characters[characters.index(after: exponentIndex)...]
            guard let value = Int(exponentText.first == "+" ? exponentText.dropFirst() : exponentText),
                  abs(value) <= 400 else { throw .notANumber }
            exponent = value
            characters = characters[..<exponentIndex]
        }
        let parts = characters.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let integerPart = parts.first, !integerPart.isEmpty,
              integerPart.allSatisfy(\.isASCIIDigit) else { throw .notANumber }
        let fractionPart = parts.count > 1 ? parts[1] : ""
        guard fractionPart.allSatisfy(\.isASCIIDigit) else { throw .notANumber }

        var digits = (integerPart + fractionPart).map { Int($0.asciiValue ?? 48) - 48 }
        var pointPosition = integerPart.count + exponent
        if pointPosition < 0 {
            digits.insert(contentsOf: repeatElement(0, count: -pointPosition), at: 0)
            pointPosition = 0
        }
        let needed = pointPosition + scale + 1
        if digits.count < needed {
            digits.append(contentsOf: repeatElement(0, count: needed - digits.count))
        }
        let roundUp = digits[pointPosition + scale] >= 5
        var kept = Array(digits[0..<(pointPosition + scale)])
        if roundUp {
            var index = kept.count - 1
            while index >= 0 {
                if kept[index] == 9 {
                    kept[index] = 0
                    index -= 1
                } else {
                    kept[index] += 1
                    break
                }
            }
            if index < 0 {
                kept.insert(1, at: 0)
                pointPosition += 1
            }
        }
        var integerDigits = Array(kept[0..<pointPosition])
        let fractionDigits = Array(kept[pointPosition...])
        while integerDigits.count > 1, integerDigits.first == 0 { integerDigits.removeFirst() }
        if integerDigits.isEmpty { integerDigits = [0] }
        guard integerDigits.count <= maximumIntegerDigits else { throw .tooLarge(maximumIntegerDigits: maximumIntegerDigits) }
        let isZero = integerDigits.allSatisfy { $0 == 0 } && fractionDigits.allSatisfy { $0 == 0 }
        var result = negative && !isZero ? "-" : ""
        result += integerDigits.map(String.init).joined()
        if scale > 0 {
            result += "." + fractionDigits.map(String.init).joined()
        }
        return result
    }

    /// Renders an amount in minor units (e.g. cents) as decimal text with `scale` fraction digits.
    static func fromMinorUnits(_ amount: Int64, scale: Int) -> String {
        let negative = amount < 0
        let magnitude = amount.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let whole = magnitude / divisor
        let fraction = magnitude % divisor
        var fractionText = String(fraction)
        if fractionText.count < scale {
            fractionText = String(repeating: "0", count: scale - fractionText.count) + fractionText
        }
        return (negative ? "-" : "") + String(whole) + (scale > 0 ? "." + fractionText : "")
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
