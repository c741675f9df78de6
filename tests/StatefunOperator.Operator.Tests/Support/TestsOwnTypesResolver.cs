using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace StatefunOperator.Operator.Tests.Support;

/// <summary>
/// Reflection, but only for what the tests alone send: their own (often anonymous) patch bodies, and the numbers,
/// lists and maps of the CRD schemas the API server fixture installs from YAML (as kubectl would). Never for a type of
/// the operator, its custom resources or the Kubernetes models: those must resolve through the generated contexts.
/// </summary>
internal sealed class TestsOwnTypesResolver : IJsonTypeInfoResolver
{
    private readonly DefaultJsonTypeInfoResolver _reflection = new();

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
        IsTestsOwn(type) ? _reflection.GetTypeInfo(type, options) : null;

    private static bool IsTestsOwn(Type type) =>
        type.IsArray ? IsTestsOwn(type.GetElementType()!)
        : type.Assembly == typeof(TestsOwnTypesResolver).Assembly
          || (type.Assembly == typeof(object).Assembly && type.GenericTypeArguments.All(IsTestsOwn));
}
