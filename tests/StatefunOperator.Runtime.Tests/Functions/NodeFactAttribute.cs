namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>A test that needs the machine's <c>node</c> and <c>npm</c>; skipped, saying so, where they are not on PATH.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (JsGreeter.FindOnPath("node") is null || JsGreeter.FindOnPath("npm") is null)
        {
            Skip = "node and npm are not on PATH; install Node.js (e.g. apt-get install nodejs npm) to run the JavaScript SDK compatibility test";
        }
    }
}
