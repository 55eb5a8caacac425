// Evaluates one ValidatingAdmissionPolicy's CEL on one AdmissionRequest, the way kube-apiserver does:
// matchConditions first (all true, or the policy does not apply), then every validation, with
// `variables.<name>` evaluated lazily on first use and errors counted as failures (failurePolicy Fail).
// Reads one JSON job per line on stdin ({policy: spec, request}), writes one JSON answer per line.
// The evaluator is @marcbachmann/cel-js, not cel-go: what differs is listed in README.md (Portcullis.Runtime).
import {Environment} from '@marcbachmann/cel-js'
import {createInterface} from 'node:readline'

const env = new Environment({unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false})

// JSON integers become CEL ints (BigInt), as kube-apiserver's int64 fields do; other numbers stay doubles.
const parse = text => JSON.parse(text, (_, v) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v))

function evaluate(expression, activation) {
  try {
    return {value: env.evaluate(expression, activation)}
  } catch (e) {
    return {error: `${e.message.split('\n')[0]}`}
  }
}

function admit({policy, request}) {
  const {object = null, oldObject = null, namespaceObject = null, ...attributes} = request
  const activation = {object, oldObject, request: attributes, params: null, namespaceObject}
  for (const condition of policy.matchConditions ?? []) {
    const {value, error} = evaluate(condition.expression, activation)
    if (error !== undefined) return {matched: true, violations: [`matchCondition ${condition.name}: ${error}`]}
    if (value !== true) return {matched: false, violations: []}
  }
  const variables = {}
  for (const variable of policy.variables ?? []) {
    let cached
    Object.defineProperty(variables, variable.name, {
      enumerable: true,
      get() {
        cached ??= evaluate(variable.expression, {...activation, variables})
        if (cached.error !== undefined) throw new Error(`variables.${variable.name}: ${cached.error}`)
        return cached.value
      },
    })
  }
  const violations = []
  for (const validation of policy.validations ?? []) {
    const {value, error} = evaluate(validation.expression, {...activation, variables})
    if (error !== undefined) violations.push(`${validation.message ?? validation.expression} (error: ${error})`)
    else if (value !== true) violations.push(validation.message ?? `failed expression: ${validation.expression}`)
  }
  return {matched: true, violations}
}

for await (const line of createInterface({input: process.stdin})) {
  if (line.trim() === '') continue
  let answer
  try {
    answer = admit(parse(line))
  } catch (e) {
    answer = {matched: true, violations: [`evaluator: ${e.message}`]}
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
}
