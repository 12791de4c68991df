/// The outcome of converting a native record into canonical values.
public struct CanonicalizedRecord: Sendable {
    public var values: CanonicalRecord
    /// Reference properties whose referenced record is not linked yet: (property, referenced flow, id on the record's side).
    public var unresolvedReferences: [(property: String, flow: String, id: String)]
}

extension FlowDefinition {
    /// Converts a record of `side` to canonical values. `resolveRightReference(flow, rightId)` translates a
    /// right-side referenced id into the left id through that flow's links (nil when not linked).
    public func canonicalize(
        _ fields: JSONValue, side: Side, resolveRightReference: (String, String) -> String?
    ) throws(ConversionError) -> CanonicalizedRecord {
        var values: CanonicalRecord = [:]
        var unresolved: [(property: String, flow: String, id: String)] = []
        values.reserveCapacity(properties.count)
        for mapping in properties {
            var value = try mapping.canonical(from: fields, side: side)
            if side == .right, let reference = mapping.reference, case .reference(let rightId) = value {
                if let leftId = resolveRightReference(reference.flow, rightId) {
                    value = .reference(leftId)
                } else {
                    unresolved.append((mapping.key, reference.flow, rightId))
                }
            }
            values[mapping.key] = value
        }
        return CanonicalizedRecord(values: values, unresolvedReferences: unresolved)
    }

    /// The native field values to write to `side` for canonical writes. `resolveLeftReference(flow, leftId)`
    /// translates a left id into the right id (nil when not linked yet: the caller parks the record).
    public func nativePatch(
        _ writes: [PropertyWrite], to side: Side, resolveLeftReference: (String, String) -> String?
    ) throws(NativePatchError) -> JSONValue {
        var patch: JSONValue = .object([:])
        for write in writes {
            guard let mapping = properties.first(where: { $0.key == write.property }) else { continue }
            var value = write.after
            if side == .right, let reference = mapping.reference, case .reference(let leftId) = value {
                guard let rightId = resolveLeftReference(reference.flow, leftId) else {
                    throw .unresolvedReference(property: mapping.key, flow: reference.flow, id: leftId)
                }
                value = .reference(rightId)
            }
            do {
                patch.setValue(try mapping.native(value, for: side), at: mapping.path(on: side))
            } catch {
                throw .conversion(error)
            }
        }
        return patch
    }
}

public enum NativePatchError: Error, Sendable {
    case unresolvedReference(property: String, flow: String, id: String)
    case conversion(ConversionError)
}
