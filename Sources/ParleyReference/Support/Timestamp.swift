import Foundation

/// Epoch milliseconds <-> RFC 3339 UTC text with millisecond precision ("2026-11-29T10:00:00.123Z"),
/// computed arithmetically (no formatter state, no time-zone database).
enum Timestamp {
    static func nowMilliseconds(offsetMilliseconds: Int64 = 0) -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) + offsetMilliseconds
    }

    static func rfc3339(milliseconds: Int64) -> String {
        let (days, millisOfDay) = milliseconds.floorDivided(by: 86_400_000)
        let date = CalendarDate(daysSinceEpoch: days)
        let hour = millisOfDay / 3_600_000
        let minute = millisOfDay / 60_000 % 60
        let second = millisOfDay / 1000 % 60
        let millis = millisOfDay % 1000
        return "\(date.text)T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
    }

    /// Parses RFC 3339 date-time text (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`) into epoch milliseconds.
    /// Fractions beyond milliseconds are truncated.
    static func parseRFC3339(_ text: String) -> Int64? {
        let characters = Array(text.utf8)
        guard characters.count >= 20,
              let date = CalendarDate(parsing: String(decoding: characters[0..<10], as: UTF8.self)),
              characters[10] == UInt8(ascii: "T") || characters[10] == UInt8(ascii: "t"),
              let hour = digits(characters, 11, 2), characters[13] == UInt8(ascii: ":"),
              let minute = digits(characters, 14, 2), characters[16] == UInt8(ascii: ":"),
              let second = digits(characters, 17, 2),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var millis: Int64 = 0
        if index < characters.count, characters[index] == UInt8(ascii: ".") {
            index += 1
            var fractionDigits = 0
            while index < characters.count, let digit = digitValue(characters[index]) {
                if fractionDigits < 3 { millis = millis * 10 + Int64(digit) }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { return nil }
            for _ in fractionDigits..<max(fractionDigits, 3) { millis *= 10 }
        }
        guard index < characters.count else { return nil }
        var offsetMinutes: Int64 = 0
        switch characters[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = characters[index] == UInt8(ascii: "+") ? 1 : -1
            guard characters.count == index + 6,
                  let offsetHour = digits(characters, index + 1, 2), characters[index + 3] == UInt8(ascii: ":"),
                  let offsetMinute = digits(characters, index + 4, 2), offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
            index += 6
        default:
            return nil
        }
        guard index == characters.count else { return nil }
        let secondsOfDay = hour * 3600 + minute * 60 + second
        return (date.daysSinceEpoch * 86_400 + secondsOfDay - offsetMinutes * 60) * 1000 + millis
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func digits(_ characters: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        guard start + count <= characters.count else { return nil }
        var value: Int64 = 0
        for index in start..<(start + count) {
            guard let digit = digitValue(characters[index]) else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension Int64 {
    /// Floor division with a non-negative remainder (for dates before 1970).
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = self % divisor
        return remainder < 0 ? (self / divisor - 1, remainder + divisor) : (self / divisor, remainder)
    }
}
