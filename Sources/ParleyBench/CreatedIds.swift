/// How the synthetic target names the records Parley creates in it. Real targets differ: the reference PMS
/// (like most SaaS systems) answers with random UUIDs, which land at random places in every index keyed by the
/// target's id; an autoincrement system answers in order. The engine figures depend on which.
public enum CreatedIds: String, Sendable, CaseIterable {
    /// "0", "1", "2", …: each index on the target's id grows at its end.
    case sequential
    /// UUID-shaped ids that look random but are the same in every run (a mixing function of the counter).
    case uuid

    public func id(_ number: Int) -> String {
        switch self {
        case .sequential: return String(number)
        case .uuid: return Self.uuidText(UInt64(number))
        }
    }

    /// Two rounds of splitmix64 give 128 well-spread bits, formatted like a version-4 UUID.
    static func uuidText(_ counter: UInt64) -> String {
        let high = mix(counter &* 2 &+ 1)
        let low = mix(counter &* 2 &+ 2)
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) } + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        var text = ""
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append("-") }
            let value = index == 6 ? (byte & 0x0F) | 0x40 : index == 8 ? (byte & 0x3F) | 0x80 : byte
            text.append(hexDigit(value >> 4))
            text.append(hexDigit(value & 0x0F))
        }
        return text
    }

    static func mix(_ seed: UInt64) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hexDigit(_ nibble: UInt8) -> Character {
        Character(Unicode.Scalar(nibble < 10 ? 48 + nibble : 87 + nibble))
    }
}
