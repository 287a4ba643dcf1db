/// Staged uploads and bulk operations.
extension ShopState {
    func stage(_ upload: StagedUpload, id: String) {
        stagedUploads[id] = upload
    }

    /// Stores what a client PUT to an upload target; false if there is no such target.
    func storeUpload(id: String, body: [UInt8]) -> Bool {
        guard stagedUploads[id] != nil else { return false }
        stagedUploads[id]?.body = body
        return true
    }

    /// The upload a `stagedUploadPath` (the target's `key` parameter) names.
    func upload(path: String) -> StagedUpload? {
        stagedUploads.values.first { $0.path == path }
    }

    /// Bulk operations still running (of one type, or all).
    func runningBulkOperations(type: String? = nil) -> Int {
        bulkOperations.values.count { ($0.status == "CREATED" || $0.status == "RUNNING") && (type == nil || $0.type == type) }
    }

    func startBulkOperation(type: String = "MUTATION") -> BulkOperationRecord {
        let record = BulkOperationRecord(id: nextID(), type: type, status: "RUNNING", createdAt: Timestamp.now(), objectCount: 0)
        bulkOperations[record.id] = record
        return record
    }

    func finishBulkOperation(id: Int, result: [UInt8], objects: Int) {
        let name = "\(id).jsonl"
        bulkResults[name] = result
        bulkOperations[id]?.status = "COMPLETED"
        bulkOperations[id]?.completedAt = Timestamp.now()
        bulkOperations[id]?.objectCount = objects
        bulkOperations[id]?.resultPath = "/bulk-results/\(name)"
    }
}
