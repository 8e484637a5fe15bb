using System.Reflection;
var asm = typeof(TorchSharp.torch).Assembly;
foreach (var name in args)
{
    foreach (var t in asm.GetTypes().Where(t => t.FullName!.EndsWith(name)))
    {
        Console.WriteLine("== " + t.FullName);
        foreach (var m in t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            Console.WriteLine("  " + m);
    }
}
