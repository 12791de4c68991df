import ParleyCore

/// Reads a change-feed page that is not valid JSON as a whole because some items are broken (invalid UTF-8,
/// a bad literal): the page's structure is found at the byte level, each item is parsed on its own, and a
/// broken item becomes `nil` with its parse error, so one bad record cannot hide the good ones around it.
enum FeedPageSalvage {
    enum Item {
        case value(JSONValue)
        /// An item that is not valid JSON: its raw bytes and why.
        case broken(ArraySlice<UInt8>, JSONParseError)
    }

    struct Page {
        var items: [Item]
        var next: String
        var hasMore: Bool
    }

    /// The page, or nil when even its structure (`{"items": [...], "next": ..., "hasMore": ...}`) is broken.
    static func salvage(_ body: [UInt8]) -> Page? {
        guard let members = topLevelMembers(body) else { return nil }
        var items: [Item]?
        var next: String?
        var hasMore = false
        for (key, range) in members {
            switch key {
            case "items":
                guard let elements = arrayElements(body, range) else { return nil }
                items = elements.map { item(body[$0]) }
            case "next":
                next = (try? JSONValue.parse(body[range]))?.stringValue
            case "hasMore":
                hasMore = (try? JSONValue.parse(body[range]))?.boolValue ?? false
            default:
                continue
            }
        }
        guard let items, let next else { return nil }
        return Page(items: items, next: next, hasMore: hasMore)
    }

    static func item(_ bytes: ArraySlice<UInt8>) -> Item {
        do {
            return .value(try JSONValue.parse(bytes))
        } catch {
            return .broken(bytes, error)
        }
    }

    /// The raw value ranges of a top-level object's members, keyed by their (ASCII) key.
    static func topLevelMembers(_ bytes: [UInt8]) -> [(String, Range<Int>)]? {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var members: [(String, Range<Int>)] = []
        while true {
            scanner.skipWhitespace()
            if scanner.take(UInt8(ascii: "}")) { return members }
            guard let keyRange = scanner.skipValue(), let key = try? JSONValue.parse(bytes[keyRange]).stringValue else { return nil }
            scanner.skipWhitespace()
            guard scanner.take(UInt8(ascii: ":")) else { return nil }
            scanner.skipWhitespace()
            guard let valueRange = scanner.skipValue() else { return nil }
            members.append((key, valueRange))
            scanner.skipWhitespace()
            if scanner.take(UInt8(ascii: ",")) { continue }
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
            return members
        }
    }

    /// The raw ranges of an array's elements.
    static func arrayElements(_ bytes: [UInt8], _ range: Range<Int>) -> [Range<Int>]? {
        var scanner = Scanner(bytes: bytes, index: range.lowerBound, end: range.upperBound)
        guard scanner.take(UInt8(ascii: "[")) else { return nil }
        var elements: [Range<Int>] = []
        scanner.skipWhitespace()
        if scanner.take(UInt8(ascii: "]")) { return elements }
        while true {
            scanner.skipWhitespace()
            guard let element = scanner.skipValue() else { return nil }
            elements.append(element)
            scanner.skipWhitespace()
            if scanner.take(UInt8(ascii: ",")) { continue }
            return scanner.take(UInt8(ascii: "]")) ? elements : nil
        }
    }

    /// Skips JSON values by structure only: strings by their quotes and escapes (whatever bytes they hold),
    /// containers by nesting, anything else up to the next delimiter.
    struct Scanner {
        let bytes: [UInt8]
        var index: Int
        let end: Int

        init(bytes: [UInt8], index: Int = 0, end: Int? = nil) {
            self.bytes = bytes
            self.index = index
            self.end = end ?? bytes.count
        }

        mutating func skipWhitespace() {
            while index < end, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < end, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// The range of the value starting here, or nil when it is unterminated.
        mutating func skipValue() -> Range<Int>? {
            let start = index
            var depth = 0
            var inString = false
            while index < end {
                let byte = bytes[index]
                index += 1
                if inString {
                    if byte == UInt8(ascii: "\\") {
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        if depth == 0 { return start..<index }
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 {
                        index -= 1
                        return start < index ? start..<index : nil
                    }
                    depth -= 1
                    if depth == 0 { return start..<index }
                case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                    if depth == 0 {
                        index -= 1
                        return start < index ? start..<index : nil
                    }
                default: break
                }
            }
            return depth == 0 && !inString && start < index ? start..<index : nil
        }
    }
}
