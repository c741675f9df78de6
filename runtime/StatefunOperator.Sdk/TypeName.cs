namespace StatefunOperator.Sdk;

/// <summary>
/// A StateFun type name, <c>namespace/name</c>: of a function (<c>example/greeter</c>), of an egress
/// (<c>example/greetings</c>) or of a value type (<c>io.statefun.types/int</c>, <c>com.example/User</c>).
/// </summary>
public sealed record TypeName
{
    private TypeName(string @namespace, string name)
    {
        Namespace = @namespace;
        Name = name;
    }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary>Both parts, each non-empty; the namespace may contain '/', the name may not (the last '/' splits).</summary>
    public static TypeName Of(string @namespace, string name)
    {
        if (string.IsNullOrEmpty(@namespace))
        {
            throw new ArgumentException("a type name needs a namespace", nameof(@namespace));
        }

        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a type name's name part (non-empty, no '/')", nameof(name));
        }

        return new TypeName(@namespace, name);
    }

    /// <summary><c>namespace/name</c>, split at the last '/'.</summary>
    public static TypeName Parse(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var slash = typeName.LastIndexOf('/');
        if (slash <= 0 || slash == typeName.Length - 1)
        {
            throw new FormatException($"'{typeName}' is not a type name: expected namespace/name");
        }

        return new TypeName(typeName[..slash], typeName[(slash + 1)..]);
    }

    public override string ToString() => Namespace + "/" + Name;
}
