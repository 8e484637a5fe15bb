Console.WriteLine("trainer");
