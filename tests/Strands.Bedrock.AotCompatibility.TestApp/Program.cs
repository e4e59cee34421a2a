// The point of this app is its Native AOT publish, which analyses every rooted assembly. Run with
// --mcp <Strands.Bedrock.McpTestServer.dll>, it also runs MCP tools end to end as a native executable (see McpCheck).
if (args is ["--mcp", var serverDll])
{
    return await Strands.AotCompatibility.TestApp.McpCheck.RunAsync(serverDll);
}

System.Console.WriteLine("Strands.Bedrock AOT compatibility test app");
return 0;
