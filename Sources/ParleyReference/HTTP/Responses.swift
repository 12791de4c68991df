import Hummingbird

/// Builds the JSON responses of the contract.
enum Responses {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let bytes = JSONWriter.bytes(value)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func noContent(headers: HTTPFields = [:]) -> Response {
        Response(status: .noContent, headers: headers)
    }

    static func error(_ error: ReferenceError) -> Response {
        var headers = HTTPFields()
        let (status, code) = statusAndCode(error.kind)
        switch error.kind {
        case .methodNotAllowed(let allowed): headers[.allow] = allowed.joined(separator: ", ")
        case .rateLimited(let seconds): headers[.retryAfter] = String(seconds)
        case .unauthorized: headers[.wwwAuthenticate] = "Bearer realm=\"parley-reference\""
        default: break
        }
        var body: JSONObject = ["code": .string(code), "message": .string(error.message)]
        if let property = error.property { body["property"] = .string(property) }
        return json(.object(["error": .object(body)]), status: status, headers: headers)
    }

    static func statusAndCode(_ kind: ReferenceError.Kind) -> (HTTPResponse.Status, String) {
        switch kind {
        case .badRequest: (.badRequest, "bad_request")
        case .unauthorized: (.unauthorized, "unauthorized")
        case .notFound: (.notFound, "not_found")
        case .methodNotAllowed: (.methodNotAllowed, "method_not_allowed")
        case .conflict: (.conflict, "conflict")
        case .deleted: (.gone, "deleted")
        case .preconditionFailed: (.preconditionFailed, "precondition_failed")
        case .validationFailed: (.unprocessableContent, "validation_failed")
        case .rateLimited: (.tooManyRequests, "rate_limited")
        case .injectedFailure: (.internalServerError, "injected_failure")
        case .responseLost: (.serviceUnavailable, "service_unavailable")
        case .internalError: (.internalServerError, "internal_error")
        }
    }
}
