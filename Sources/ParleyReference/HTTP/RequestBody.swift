import Hummingbird

/// Reading the JSON object a request carries.
enum RequestBodyReader {
    static let maximumSize = 1 << 20

    static func object(_ request: Request, subject: String) async throws -> JSONObject {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumSize)
        } catch {
            throw ReferenceError(.badRequest, "\(subject): request body is larger than \(maximumSize) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw ReferenceError(.badRequest, "\(subject): request body is empty; expected a JSON object")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw ReferenceError(.badRequest, "\(subject): request body is not valid JSON (\(error))")
        }
        guard let object = value.objectValue else {
            throw ReferenceError(.badRequest, "\(subject): request body must be a JSON object; got \(value.typeDescription)")
        }
        return object
    }
}
