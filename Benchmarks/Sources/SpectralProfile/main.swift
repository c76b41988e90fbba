import BenchSupport
import Foundation
import Spectral

// One workload predicate's decide path in a loop, for callgrind (instruction counts where
// the shared machine's noise hides a change) and perf:
//   SpectralProfile NAME typed|untyped json|bound ITERATIONS
//   valgrind --tool=callgrind .build/release/SpectralProfile risk_score typed json 2000
let arguments = CommandLine.arguments
guard arguments.count == 5, let iterations = Int(arguments[4]),
      ["typed", "untyped"].contains(arguments[2]), ["json", "bound"].contains(arguments[3]) else {
    benchFailure("usage: SpectralProfile NAME typed|untyped json|bound ITERATIONS")
}
guard let predicate = Workload.load().first(where: { $0.name == arguments[1] }) else {
    benchFailure("no workload predicate named \(arguments[1])")
}
let program = predicate.compiled(typed: arguments[2] == "typed")
var machine = program.makeMachine()
var agreed = 0
if arguments[3] == "json" {
    for _ in 0..<iterations {
        if case .success(let value) = program.evaluate(json: predicate.inputJSON, on: &machine).result,
           value == predicate.expected { agreed += 1 }
    }
} else {
    do { try JSONBinder.bind(predicate.inputJSON, into: &machine) } catch { benchFailure("\(error)") }
    for _ in 0..<iterations {
        if case .value(.bool(let b)) = machine.run().result, predicate.expected == .bool(b) { agreed += 1 }
    }
}
guard agreed == iterations else { benchFailure("\(iterations - agreed) of \(iterations) runs disagreed with expected") }
print("\(iterations) evaluations agreed with expected")
