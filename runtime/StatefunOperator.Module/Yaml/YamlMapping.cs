namespace StatefunOperator.Module.Yaml;

/// <summary>
/// A YAML mapping as <see cref="ModuleYamlWriter"/> builds it. A type of its own, not <c>Dictionary&lt;string, object?&gt;</c>:
/// YamlDotNet reads the full name of every dictionary's type it writes, and in the native operator the full name of a
/// constructed generic type is computed anew each time, assembly names of its type arguments included (their public
/// key tokens hashed with SHA-1): about a tenth of the native operator's CPU in a bulk apply. This name is a constant.
/// </summary>
internal sealed class YamlMapping : Dictionary<string, object?>
{
}
