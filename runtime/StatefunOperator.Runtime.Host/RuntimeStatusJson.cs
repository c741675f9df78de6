using System.Text.Json;
using System.Text.Json.Serialization;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// The JSON of <see cref="RuntimeStatus"/>, generated at build time, in the web defaults ASP.NET Core's
/// <c>Results.Json</c> used (camelCase: <c>lag</c>, <c>ingress</c>, <c>partitions</c>, <c>readAt</c>, <c>total</c>, <c>worst</c>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RuntimeStatus))]
internal sealed partial class RuntimeStatusJson : JsonSerializerContext;
