extension Dictionary where Key == String, Value == CanonicalValue {
    /// Reads a shadow written by `shadowText` (or any JSON of the same shape) straight into canonical
    /// values, without the intermediate JSON objects; nil when the text is not a shadow.
    public init?(shadowText: String) {
        var parser = JSONByteParser(bytes: Array(shadowText.utf8), maxDepth: 4)
        if let record = try? parser.parseShadow() {
            self = record
            return
        }
        guard let json = try? JSONValue.parse(shadowText), let record = CanonicalRecord(shadowJSON: json) else { return nil }
        self = record
    }
}

extension JSONByteParser {
    /// `{"key": null | {"t"|"d"|"r"|"n": "text"} | {"b": bool} | {"dt": integer}, ...}` and nothing after it.
    mutating func parseShadow() throws(JSONParseError) -> CanonicalRecord {
        var record: CanonicalRecord = [:]
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
        } else {
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\"")) else { throw error("expected a key string") }
                let key = try parseString()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                record[key] = try parseCanonicalValue()
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                try expect(UInt8(ascii: "}"))
                break
            }
        }
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected trailing characters") }
        return record
    }

    mutating func parseCanonicalValue() throws(JSONParseError) -> CanonicalValue {
        if peek(UInt8(ascii: "n")) {
            try expectLiteral("null")
            return .null
        }
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        guard peek(UInt8(ascii: "\"")) else { throw error("expected a tag") }
        let tag = try parseString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        let value: CanonicalValue
        switch tag {
        case "t", "d", "r", "n":
            guard peek(UInt8(ascii: "\"")) else { throw error("expected a string") }
            let text = try parseString()
            switch tag {
            case "t": value = .text(text)
            case "d": value = .date(text)
            case "r": value = .reference(text)
            default:
                guard let number = DecimalText(text) else { throw error("invalid decimal") }
                value = .number(number)
            }
        case "b":
            if peek(UInt8(ascii: "t")) {
                try expectLiteral("true")
                value = .bool(true)
            } else {
                try expectLiteral("false")
                value = .bool(false)
            }
        case "dt":
            guard index < bytes.count, bytes[index] == UInt8(ascii: "-") || isDigit(bytes[index]) else { throw error("expected a number") }
            let digits = try parseNumber()
            guard let millis = Int64(digits) else { throw error("expected integer milliseconds") }
            value = .datetime(millis)
        default:
            throw error("unknown tag")
        }
        skipWhitespace()
        try expect(UInt8(ascii: "}"))
        return value
    }

    func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard peek(byte) else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }
}
