import Hummingbird
import Spectral
import SpectralCatalog

/// `POST /v1/decide` and `POST /v1/decide/batch`: run a cached, verified program on the
/// caller's input. The body is scanned once for its fields; the input object is bound
/// straight into the evaluation's arena.
struct DecideRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        let deciding = router.group().add(middleware: server.admitting(.decide))
        deciding.post("v1/decide") { request, context in try await decide(request, caller: context.caller) }
        deciding.post("v1/decide/batch") { request, context in try await decideBatch(request, caller: context.caller) }
        if server.configuration.benchmarkBaseline {
            router.post("bench/baseline") { request, _ in
                _ = try DecideRequest.parse(try await server.body(of: request), limits: server.jsonLimits)
                return JSONResponse.make(bytes: Self.baselineAnswer)
            }
        }
    }

    static let baselineAnswer = Array(#"{"predicate":"baseline","version":1,"decision":true,"fuel_used":0}"#.utf8)

    func decide(_ request: Request, caller: Caller?) async throws -> Response {
        let body = try await server.body(of: request)
        let decide = try DecideRequest.parse(body, limits: server.jsonLimits)
        if decide.explain { try Self.mayExplain(caller) }
        let entry = try await server.cache.entry(decide.predicate, version: decide.version)
        let started = ContinuousClock.now
        let id = server.decisionIDs.next()
        let evaluation = try await server.lane.evaluate(entry, json: Array(decide.input))
        let elapsed = ContinuousClock.now - started
        let explanation = decide.explain ? try await explain(entry, input: Array(decide.input), decided: evaluation) : nil
        if let run = server.shadows.run(for: entry.name, version: entry.version, id: id) {
            let job = ShadowJob(run: run, decisionID: id, input: Array(decide.input), active: ImpactOutcome(evaluation), mask: entry.inputMask,
                                caller: caller?.id)
            if !server.shadowQueue.append(job) { server.shadows.recordDropped(run) }
        }
        switch evaluation.result {
        case .success(let value):
            server.metrics.recordDecision(elapsed, fuel: evaluation.fuelUsed)
            let decided = value.jsonValue
            Self.log(id, of: entry, input: decide.input, outcome: .decided(json: decided.serialized()),
                     fuel: evaluation.fuelUsed, elapsed: elapsed, caller: caller, server: server)
            var writer = JSONWriter(reservingCapacity: 144)
            writer.beginObject()
            writer.writeKey("predicate"); writer.writeString(entry.name)
            writer.writeKey("version"); writer.writeInt64(Int64(entry.version))
            writer.writeKey("decision"); writer.writeValue(decided)
            writer.writeKey("fuel_used"); writer.writeUInt64(evaluation.fuelUsed)
            writer.writeKey("decision_id"); writer.writeDecisionID(id)
            if let explanation { writer.writeKey("explanation"); writer.writeValue(explanation) }
            writer.endObject()
            return JSONResponse.make(bytes: writer.bytes)
        case .failure(let error):
            var apiError = APIError(evaluationError: error, location: evaluation.failureLocation(in: entry.source, quotingSource: false), entry: entry,
                                    violations: evaluation.inputViolations)
            if let explanation { apiError.details = .object([("explanation", explanation)]) }
            Self.log(id, of: entry, input: decide.input, outcome: .failed(code: apiError.code),
                     fuel: evaluation.fuelUsed, elapsed: elapsed, caller: caller, server: server)
            apiError.decisionID = id
            apiError.fuelUsed = evaluation.fuelUsed
            throw apiError
        }
    }

    /// An explanation quotes the predicate's source, which a `decide` key may not read:
    /// asking for one needs `audit` (or `admin`), as reading the decision log does.
    private static func mayExplain(_ caller: Caller?) throws(APIError) {
        guard let caller, !caller.grants(.audit) else { return }
        throw APIError(.forbidden, code: "forbidden",
                       "\"explain\" needs the 'audit' scope: an explanation quotes the predicate's source")
    }

    /// The decision's explanation (its clause tree), from a second, explained run on the
    /// same input under the same limits. Explaining is rare and may compile, so it runs off
    /// the cooperative pool; nothing of it happens when `explain` is off.
    private func explain(_ entry: ProgramCache.Entry, input: [UInt8], decided: Evaluation) async throws -> JSONValue? {
        let explaining = try await server.explainers.entry(entry.name, version: entry.version, store: server.store)
        let explanation = try await server.lane.run(mayBeLong: true) {
            explaining.explainer.explain(json: input, masks: explaining.masks)
        }
        if explanation.evaluation.result != decided.result || explanation.evaluation.fuelUsed != decided.fuelUsed {
            // The explained program is compiled from the source now; the decision ran the
            // bytecode stored at publication. Only a compiler change between the two can part them.
            server.logger.warning("an explanation's run differs from the decision it explains",
                                  metadata: ["predicate": "\(entry.name)@\(entry.version)"])
        }
        return explanation.root?.jsonValue
    }

    /// `{"predicate", "version"?, "inputs": [{...}, ...]}` → `{"predicate", "version",
    /// "results": [{"decision", "fuel_used", "decision_id"} | {"error": {...}, "fuel_used",
    /// "decision_id"}]}`: one program, many inputs, each input's error reported in its place
    /// and each input a decision of its own, with its own id.
    func decideBatch(_ request: Request, caller: Caller?) async throws -> Response {
        let body = try await server.body(of: request)
        let batch = try BatchDecideRequest.parse(body, limits: server.jsonLimits, maxInputs: server.configuration.maxBatchSize)
        server.auth.charge(caller, additionalRequests: batch.inputs.count - 1)
        let entry = try await server.cache.entry(batch.predicate, version: batch.version)
        let (costBound, overflowed) = entry.program.module.costBound.multipliedReportingOverflow(by: UInt64(batch.inputs.count))
        let mayBeLong = server.lane.mayBeLong(costBound: overflowed ? .max : costBound, inputBytes: body.count)
        let bytes = try await server.lane.run(mayBeLong: mayBeLong) { [server] in
            Self.evaluate(batch, with: entry, caller: caller, server: server)
        }
        return JSONResponse.make(bytes: bytes)
    }

    /// Every input of a batch in turn, on one machine from the program's pool; the response's bytes.
    private static func evaluate(_ batch: BatchDecideRequest, with entry: ProgramCache.Entry, caller: Caller?, server: Server) -> [UInt8] {
        entry.machines.withMachine { machine in evaluate(batch, with: entry, on: &machine, caller: caller, server: server) }
    }

    private static func evaluate(_ batch: BatchDecideRequest, with entry: ProgramCache.Entry, on machine: inout Machine,
                                 caller: Caller?, server: Server) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 64 + 100 * batch.inputs.count)
        writer.beginObject()
        writer.writeKey("predicate"); writer.writeString(entry.name)
        writer.writeKey("version"); writer.writeInt64(Int64(entry.version))
        writer.writeKey("results")
        writer.beginArray()
        for input in batch.inputs {
            let started = ContinuousClock.now
            let id = server.decisionIDs.next()
            let evaluation = entry.program.evaluate(json: Array(input), on: &machine)
            let elapsed = ContinuousClock.now - started
            writer.beginObject()
            switch evaluation.result {
            case .success(let value):
                server.metrics.recordDecision(elapsed, fuel: evaluation.fuelUsed)
                let decided = value.jsonValue
                writer.writeKey("decision"); writer.writeValue(decided)
                log(id, of: entry, input: input, outcome: .decided(json: decided.serialized()),
                    fuel: evaluation.fuelUsed, elapsed: elapsed, caller: caller, server: server)
            case .failure(let error):
                let apiError = APIError(evaluationError: error, location: evaluation.failureLocation(in: entry.source, quotingSource: false), entry: entry,
                                        violations: evaluation.inputViolations)
                server.metrics.recordError(code: apiError.code)
                writer.writeKey("error"); writer.writeValue(apiError.jsonValue["error"] ?? .null)
                log(id, of: entry, input: input, outcome: .failed(code: apiError.code),
                    fuel: evaluation.fuelUsed, elapsed: elapsed, caller: caller, server: server)
            }
            writer.writeKey("fuel_used"); writer.writeUInt64(evaluation.fuelUsed)
            writer.writeKey("decision_id"); writer.writeDecisionID(id)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// Queues the decision for the log when the log is on and the sample takes it: never
    /// waits, and a full queue drops the record (counted). Nothing is built when the log is
    /// off or the decision is sampled out (counted apart from drops). The record carries the
    /// version's mask; the writer applies it, off this path.
    private static func log(_ id: DecisionID, of entry: ProgramCache.Entry, input: ArraySlice<UInt8>,
                            outcome: @autoclosure () -> DecisionRecord.Outcome, fuel: UInt64, elapsed: Duration,
                            caller: Caller?, server: Server) {
        guard let queue = server.decisionLog else { return }
        guard server.logSample.times(entry.logSample).admits(id) else {
            server.metrics.recordDecisionLogSampledOut()
            return
        }
        let record = DecisionRecord(
            id: id, predicate: entry.name, version: entry.version, input: String(decoding: input, as: UTF8.self), outcome: outcome(),
            fuel: fuel, latencyMicroseconds: elapsed.inMicroseconds, caller: caller?.id,
            generation: server.configuration.generation, inputMask: entry.inputMask)
        if !queue.append(record) { server.metrics.recordDecisionLogDropped() }
    }
}

extension APIError {
    /// 422 for everything an evaluation can end in other than a decision; the input not
    /// matching the declarations is the caller's error too, but of the input. A violation
    /// at a place the version masks names the place and not the value (`violations`, from
    /// `Evaluation.inputViolations`).
    init(evaluationError error: EvaluationError, location: String?, entry: ProgramCache.Entry, violations: [InputViolation] = []) {
        var error = error
        let mask = entry.inputMask
        if case .input = error, !mask.isEmpty, violations.contains(where: { mask.covers($0.pointer) }) {
            error = .input(violations.map { mask.covers($0.pointer) ? $0.masked : $0.description }.joined(separator: "; "))
        }
        self.init(evaluationError: error, location: location, reference: "\(entry.name)@\(entry.version)")
    }

    init(evaluationError error: EvaluationError, location: String?, reference: String) {
        let place = location.map { " (\($0))" } ?? ""
        switch error {
        case .input(let message):
            self.init(.unprocessableContent, code: error.code, "input does not fit \(reference): \(message)")
        case .evaluation(let message):
            self.init(.unprocessableContent, code: error.code, "\(reference): \(message)\(place)")
        case .fuelExhausted, .memoryExhausted:
            self.init(.unprocessableContent, code: error.code, "\(reference): \(error.description)\(place)")
        }
    }
}
