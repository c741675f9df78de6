using System.Text.RegularExpressions;

namespace StatefunOperator.Sdk;

/// <summary>
/// A value a function keeps per address (its persisted state): a name, a type and an optional expiry. A function
/// declares its specs when it is bound; the runtime sends their values with every call and stores what changed.
/// </summary>
public abstract partial class ValueSpec
{
    private protected ValueSpec(string name, TypeName typeName, ValueExpiration expiration)
    {
        if (!NamePattern().IsMatch(name ?? string.Empty))
        {
            throw new ArgumentException($"'{name}' is not a value name: letters, digits and '_', not starting with a digit", nameof(name));
        }

        Name = name!;
        TypeName = typeName;
        Expiration = expiration;
    }

    public string Name { get; }

    public TypeName TypeName { get; }

    public ValueExpiration Expiration { get; }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
