// Typed documents from the server's SDL and the UI's `graphql(...)` calls. The output is committed (like
// schema/schema.graphql); tests/web/test_codegen.py regenerates it into a temporary directory (CODEGEN_OUT) and compares.
import type { CodegenConfig } from "@graphql-codegen/cli";

const out = process.env.CODEGEN_OUT ?? "src/gql/";

const config: CodegenConfig = {
  schema: "../schema/schema.graphql",
  documents: ["src/**/*.tsx", "src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    [out]: {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: "string", JSON: "unknown" },
        skipTypename: true,
        onlyOperationTypes: true,
      },
    },
  },
};

export default config;
