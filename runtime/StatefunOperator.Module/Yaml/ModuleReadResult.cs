using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Yaml;

/// <summary>What <see cref="ModuleYamlReader"/> found: the module, what is wrong with the YAML's shape, and notices.</summary>
public sealed record ModuleReadResult(ModuleDefinition Module, IReadOnlyList<string> Problems, IReadOnlyList<string> Notices);
