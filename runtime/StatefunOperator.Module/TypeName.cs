namespace StatefunOperator.Module;

/// <summary>
/// A StateFun type name, <c>namespace/name</c>: identifies ingresses, egresses and function types.
/// The namespace may itself contain slashes (<c>com.example/sub/name</c> splits at the last one).
/// </summary>
public sealed record TypeName(string Namespace, string Name)
{
    public static bool TryParse(string? text, out TypeName typeName, out string problem)
    {
        typeName = new TypeName(string.Empty, string.Empty);
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is empty; expected namespace/name";
            return false;
        }

        var slash = text.LastIndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
        {
            problem = $"'{text}' is not of the form namespace/name";
            return false;
        }

        if (text.Any(char.IsWhiteSpace))
        {
            problem = $"'{text}' contains white space";
            return false;
        }

        typeName = new TypeName(text[..slash], text[(slash + 1)..]);
        problem = string.Empty;
        return true;
    }

    public static TypeName Parse(string text) =>
        TryParse(text, out var typeName, out var problem)
            ? typeName
            : throw new FormatException("type name " + problem);

    public override string ToString() => $"{Namespace}/{Name}";
}
