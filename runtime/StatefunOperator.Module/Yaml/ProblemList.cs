using System.Text.RegularExpressions;

namespace StatefunOperator.Module.Yaml;

/// <summary>
/// The problems found in one document, each prefixed with the document's owner (e.g.
/// <c>ingress example/user-ingress</c>). Also expands <c>${VAR}</c> from the environment in values,
/// so that secrets reach the configuration without being written into it.
/// </summary>
internal sealed partial class ProblemList
{
    private readonly List<string> _all;
    private readonly Func<string, string?> _environment;

    public ProblemList(List<string> all, string owner, Func<string, string?> environment)
    {
        _all = all;
        Owner = owner;
        _environment = environment;
    }

    public string Owner { get; set; }

    public int Count => _all.Count;

    public void Add(string field, string message) => _all.Add($"{Owner}: {field}: {message}");

    /// <summary>Adds a message that already names its owner.</summary>
    public void AddRaw(string message) => _all.Add(message);

    public string Expand(string value, string field) =>
        VariableRegex().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            var resolved = _environment(name);
            if (resolved is null)
            {
                Add(field, $"environment variable '{name}' (from ${{{name}}}) is not set");
                return string.Empty;
            }

            return resolved;
        });

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariableRegex();
}
