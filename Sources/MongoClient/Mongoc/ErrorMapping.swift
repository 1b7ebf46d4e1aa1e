import CMongoC

extension MongoError {
    /// The one mapping from a libmongoc `bson_error_t` (error API version 2) and the optional
    /// server reply to a ``MongoError``. Labels come from the reply's `errorLabels`.
    init(libmongoc error: bson_error_t, reply: BSONDocument?, fileID: String, line: Int) {
        let domain = Int(error.domain)
        let code = Int(error.code)
        let labels = reply?.array("errorLabels")?.compactMap(\.stringValue) ?? []
        self.init(
            kind: Self.kind(domain: error.domain, code: error.code), domain: domain, code: code,
            message: error.messageText, labels: labels, fileID: fileID, line: line
        )
    }

    static func kind(domain: UInt32, code: UInt32) -> Kind {
        switch domain {
        case MONGOC_ERROR_SERVER.rawValue:
            return kind(forServerCode: Int(code))
        case MONGOC_ERROR_WRITE_CONCERN.rawValue:
            return .writeConcern(Int(code))
        case MONGOC_ERROR_STREAM.rawValue, MONGOC_ERROR_PROTOCOL.rawValue:
            return .network
        case MONGOC_ERROR_SERVER_SELECTION.rawValue:
            return .serverSelection
        case MONGOC_ERROR_SASL.rawValue, MONGOC_ERROR_SCRAM.rawValue:
            return .authentication
        case MONGOC_ERROR_TRANSACTION.rawValue:
            return .transaction
        case MONGOC_ERROR_BSON.rawValue, MONGOC_ERROR_NAMESPACE.rawValue:
            return .invalidArgument
        case MONGOC_ERROR_COMMAND.rawValue:
            return code == MONGOC_ERROR_COMMAND_INVALID_ARG.rawValue ? .invalidArgument : .driver
        case MONGOC_ERROR_CLIENT.rawValue:
            switch code {
            case MONGOC_ERROR_CLIENT_AUTHENTICATE.rawValue, MONGOC_ERROR_CLIENT_GETNONCE.rawValue:
                return .authentication
            case MONGOC_ERROR_CLIENT_NOT_READY.rawValue, MONGOC_ERROR_CLIENT_NO_ACCEPTABLE_PEER.rawValue:
                return .network
            case MONGOC_ERROR_CLIENT_TOO_BIG.rawValue:
                return .invalidArgument
            case MONGOC_ERROR_CLIENT_SESSION_FAILURE.rawValue:
                return .transaction
            default:
                return .driver
            }
        default:
            return .driver
        }
    }
}
