// How a front end uses the types openapi-typescript generates from the API's OpenAPI document.
// tests/clients/test_typescript_client.py generates generated/api.d.ts and type-checks this file with
// `tsc --noEmit` (strict, tsconfig.json): a line that stops compiling, or an `@ts-expect-error` that
// no longer finds its error, fails the check.
import type { components, operations, paths } from "./generated/api";

type Schemas = components["schemas"];

// A create body with only its required fields compiles: defaulted fields (keywords, confidentiality,
// contact, ...) are optional in request types. (The server also wants a budget or 面议: a cross-field
// rule that the schema's description states.)
export const demand: Schemas["DemandCreate"] = {
  organization_id: 1,
  title: "钠离子电池正极材料中试放大",
  tech_field: "new_energy",
  description: "需要层状氧化物钠离子电池正极材料的中试放大工艺。",
  demand_type: "key_technology",
  cooperation_modes: ["joint_development"],
};
export const negotiable: Schemas["DemandCreate"] = { ...demand, is_budget_negotiable: true };

export const newPackage: Schemas["PackageCreate"] = { title: "新材料成果包", industry: "new_materials" };
// @ts-expect-error: a package needs its title (the old top-level anyOf let {industry} alone through)
export const untitled: Schemas["PackageCreate"] = { industry: "new_materials" };
// @ts-expect-error: unknown industries are refused
export const wrongIndustry: Schemas["PackageCreate"] = { title: "成果包", industry: "steel" };

// Response fields are read as they are sent: a defaulted one is never undefined.
export function titleOf(read: Schemas["DemandRead"]): string {
  return read.title;
}
export function tokenType(pair: Schemas["TokenPair"]): "bearer" {
  return pair.token_type;
}
type DemandPage = paths["/api/v1/demands"]["get"]["responses"][200]["content"]["application/json"];
export function firstTitle(page: DemandPage): string | undefined {
  return page.items[0]?.title;
}
export function total(page: DemandPage): number {
  return page.total;
}

// A conditional write needs If-Match.
type UpdateHeaders = operations["update_demand"]["parameters"]["header"];
export const ifMatch: UpdateHeaders = { "if-match": '"demand-1-v1"' };
// @ts-expect-error: If-Match is required on an update
export const noIfMatch: UpdateHeaders = {};

// An action's body may be left out, or carry a reason.
type ActBody = NonNullable<operations["act_on_demand"]["requestBody"]>["content"]["application/json"];
export const noReason: ActBody = {};
export const returned: ActBody = { reason: "请补充预算说明" };
export type ActRequestBody = operations["act_on_demand"]["requestBody"];
export const leftOut: ActRequestBody = undefined;

// An error is a problem document with a stable code.
type Problem = operations["update_demand"]["responses"][428]["content"]["application/problem+json"];
export function codeOf(problem: Problem): string {
  return problem.code;
}
