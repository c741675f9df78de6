using System.Runtime.CompilerServices;
using StatefunOperator.Operator.Hosting;

namespace StatefunOperator.Operator.Tests.Support;

/// <summary>
/// Every test of this assembly talks JSON to the API server as the native operator does: through the generated
/// contexts only (<see cref="KubernetesJsonResolver"/>), never by reflection. A type the operator sends or receives
/// that is missing from them fails here, not first in the native binary. The tests' own objects go by reflection
/// (<see cref="TestsOwnTypesResolver"/>).
/// </summary>
internal static class StrictKubernetesJson
{
#pragma warning disable CA2255 // The client's JSON options are process-wide and frozen on first use: set them before any test runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        if (!KubernetesJsonResolver.UseForKubernetesClient(new TestsOwnTypesResolver()))
        {
            throw new InvalidOperationException("the Kubernetes client's JSON options were in use before the tests could set the operator's resolver");
        }
    }
}
