/// Running text with literal fragments (property names, values, commands), so each renderer can mark
/// them up and escape everything else. Written as an interpolated literal: `"set \(code: "archived")"`.
public struct RichText: Sendable, Hashable, ExpressibleByStringInterpolation {
    public enum Segment: Sendable, Hashable {
        case text(String)
        case code(String)
    }

    public var segments: [Segment]

    public init(segments: [Segment]) { self.segments = segments }

    public init(stringLiteral value: String) { segments = [.text(value)] }

    public init(stringInterpolation: Interpolation) { segments = stringInterpolation.segments }

    /// The text without markup (for tests and plain output).
    public var plain: String {
        segments.map { segment in
            switch segment {
            case .text(let text), .code(let text): text
            }
        }.joined()
    }

    public struct Interpolation: StringInterpolationProtocol {
        var segments: [Segment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            guard !literal.isEmpty else { return }
            if case .text(let previous)? = segments.last {
                segments[segments.count - 1] = .text(previous + literal)
            } else {
                segments.append(.text(literal))
            }
        }

        public mutating func appendInterpolation(_ text: String) { appendLiteral(text) }

        public mutating func appendInterpolation(code: String) { segments.append(.code(code)) }

        /// Joins several literal fragments as "a, b and c".
        public mutating func appendInterpolation(codes: [String]) {
            for (offset, code) in codes.enumerated() {
                if offset > 0 { appendLiteral(offset == codes.count - 1 ? " and " : ", ") }
                segments.append(.code(code))
            }
        }
    }
}
