/// A credential (API token, webhook secret). It prints as `***` everywhere — `description`,
/// `debugDescription`, reflection and `dump` — so it can never leak into logs or error messages;
/// the value is only available through an explicit `reveal()`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The secret's value, for the one place that must send it (an `Authorization` header, an HMAC key).
    public func reveal() -> String { value }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
