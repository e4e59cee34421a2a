// Nothing to run: the point of this app is its Native AOT publish, which analyses every rooted assembly.
System.Console.WriteLine("Strands.Bedrock AOT compatibility test app");
