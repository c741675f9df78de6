namespace StatefunOperator.Testing.Functions;

/// <summary>A StateFun function server a test started on 127.0.0.1 (<see cref="JsGreeter"/>, <see cref="CsGreeter"/>), serving <c>/statefun</c>.</summary>
public interface IFunctionServer : IDisposable
{
    int Port { get; }
}
